"""The synthetic supporters the benchmarks make cards for: names with Irish fadas, Polish
letters and double-barrelled surnames, prompt ids and own pledges up to ~70 characters,
organisations (often none)."""

FIRST = ("Aoife", "Seán", "Niamh", "Ciarán", "Gráinne", "Oisín", "Siobhán", "Pádraig", "Maria",
         "Tomasz", "Fatima", "Wei", "Priya", "James", "Emma", "Olivia", "Jack", "Noah", "Chloe",
         "Ruairí", "Aleksandra", "Mohammed", "Zofia", "Eoin", "Caoimhe", "Daniel", "Sophie")
LAST = ("Ní Bhriain", "O'Neill", "McCann", "Kowalski", "Rahman", "Chen", "Patel", "Doherty",
        "Murphy", "Campbell", "Ó Súilleabháin", "Mac Giolla Phádraig", "Wilson", "Quinn",
        "Nowak", "Hughes", "Kelly", "Ahmed", "Boyle", "Ferguson-Whyte", "McLaughlin")
ORGS = ("", "", "", "Sure Start Newry", "Barnardo's NI", "Health visitor, Belfast Trust",
        "Parent and toddler group, Omagh", "NSPCC Northern Ireland", "Early Years – the "
        "organisation for young children", "Children's Centre, Derry~Londonderry",
        "Midwife", "Grandparent")
PLEDGES = ("speak-up", "first-1001-days", "listen", "relationships", "play-talk-cuddle",
           "champion", "read to my baby every night", "sing with my grandchildren every week",
           "put my phone away at bath time and just be with my little one",
           "ask new parents how they are really doing, and listen to the answer",
           "make our waiting room a place where babies and parents feel welcome",
           "share what I learn about infant mental health with every new colleague")
