"""Every word of the supporters' page, in English and Irish.

The card's own wording (prompts, pledge intro, alt text, caption) comes from the
theme; this is the page around it. The Irish is the Standard (An Caighdeán Oifigiúil),
written where it can be to read the same in Ulster ("ar do chárta" rather than "ar an
gcárta"); docs/irish-glossary.md gives each term and its source.

A count ("You have 7 characters left") is said by `count_message`, and by the page's
script from `count_forms`: in Irish the noun after a number changes with the number
(7 gcarachtar, 21 charachtar, 20 carachtar; core/irish.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from imhcard.core.fields import page_words
from imhcard.core.irish import eclipse, lenite, number_mutation

EN: dict[str, str] = {
    "lang_name": "English",
    "page_title": "Make your pledge card",
    "intro": "Make your own pledge card for {week_name}, {dates}, and share it.",
    "this_page": "This page in English",
    "error_title": "There is a problem",
    "error_prefix": "Error:",
    "pledge_own": "In my own words",
    "pledge_own_label": "Your pledge in your own words",
    "pledge_own_hint": "It follows \u201c{intro}\u201d on the card.",
    # {count} is the number and count_noun in the form the number asks for.
    "count_left": "You have {count} left",
    "count_none_left": "You have 0 characters left",
    "count_one_left": "You have 1 character left",
    "count_over": "You have {count} too many",
    "count_one_over": "You have 1 character too many",
    "count_noun": "characters",
    "choose_photo": "Choose a photo",
    "no_photo": "No photo chosen",
    "consent": "Only use a photo of a child with the consent of their parent or carer.",
    "position": "Move your photo",
    "position_hint": "Drag or pinch the photo, or use these buttons.",
    "position_plain": "Your card keeps faces in view by itself. To place the photo "
                      "yourself, choose \u201cWhere I set it\u201d and move the sliders.",
    "crop_auto": "By itself, keeping faces in view",
    "crop_set": "Where I set it",
    "crop_x": "Left to right",
    "crop_y": "Top to bottom",
    "zoom": "Zoom",
    "move_left": "Move left",
    "move_right": "Move right",
    "move_up": "Move up",
    "move_down": "Move down",
    "zoom_in": "Zoom in",
    "zoom_out": "Zoom out",
    "reset": "Reset position",
    "kept_photo": "Your photo is still here: you do not need to choose it again.",
    "kept_alt": "The photo you chose",
    "photo_remove": "Make my card without this photo",
    "photo_reading": "Getting your photo ready\u2026",
    "photo_sending": "Sending your photo: {percent}%",
    "photo_placing": "Finding the best place for your photo\u2026",
    "photo_small": "Your photo is small: it may look blurry on your card.",
    "more_choices": "Card style and file type",
    "style_auto": "Photo card if I add a photo",
    "style_photo": "Photo card: my photo fills the top",
    "style_text": "Words card: my photo small, beside the title",
    "style_needs_photo": "A photo card needs a photo: choose one above, or your card is a "
                         "words card.",
    "format": "Size",
    "format_hint": "Where you will share it.",
    "image_format": "File type",
    "image_format_hint": "With a photo, a JPEG is about a seventh of the size of a PNG and "
                         "looks the same, so it reaches your phone faster. Print A5 is "
                         "always a PDF.",
    "auto": "Best for sharing (JPEG with a photo, PNG without)",
    "preview": "Preview",
    "preview_hint": "Your card changes as you type.",
    "preview_busy": "Updating the preview\u2026",
    "preview_alt": "Preview of your pledge card.",
    "preview_name": "Your name",
    "preview_error": "The preview cannot be shown just now: you can still make your card.",
    "submit": "Make my card",
    "again": "Make my card again",
    "your_card": "Your card",
    "download": "Download {filename}",
    "share": "Share",
    "shared": "Shared.",
    "caption": "Suggested caption",
    "alt_text": "Alt text (image description)",
    "alt_text_hint": "Paste this where your app asks for alt text or an image "
                     "description, for people who use screen readers.",
    "copy_caption": "Copy caption",
    "copy_alt": "Copy alt text",
    "copied": "Copied.",
    "making": "Making your card\u2026",
    "sending": "Sending: {percent}%",
    "receiving": "Your card is on its way\u2026",
    "made": "Your card is ready: {filename}.",
    "made_without_photo": "Your card is ready, without a photo: the photo you chose cannot be "
                          "used (see above). {filename}.",
    "stale": "You changed your card: press \u201cMake my card\u201d to make it again.",
    "save_hint": "On a phone, press and hold the card to save or share it.",
    "caption_ready": "The caption is copied: paste it into your post.",
    "inapp_title": "Keep your card",
    "inapp_save": "Press and hold your card, then choose to save the image "
                  "(\u201cSave image\u201d or \u201cSave to Photos\u201d).",
    "inapp_browser": "Downloads do not work in {app}\u2019s browser. To download your card, "
                     "open this page in your phone\u2019s own browser: tap \u22ef or \u22ee "
                     "at the top of the screen and choose \u201cOpen in browser\u201d.",
    "this_app": "this app",
    "privacy_title": "Your privacy",
    "privacy": "Your name, pledge and photo are used only to make your card, in this "
               "server's memory. Nothing is stored, logged or shared, and nothing is kept "
               "once your card is made. No account, no cookies, no tracking, no "
               "watermark, no e-mails.",
    "campaign": "About the campaign",
    "busy": "The server is busy making other cards. Please try again in a few seconds.",
    "png": "PNG (sharpest, largest)", "jpeg": "JPEG", "webp": "WebP (smallest; not every app "
                                                               "takes it)",
    "fmt_instagram-square": "Instagram, square",
    "fmt_instagram-portrait": "Instagram, portrait",
    "fmt_story": "Story (Instagram, Facebook)",
    "fmt_facebook": "Facebook post",
    "fmt_x": "X (Twitter)",
    "fmt_linkedin": "LinkedIn",
    "fmt_print-a5": "Print A5 to sign (PDF)",
}

GA: dict[str, str] = {
    "lang_name": "Gaeilge",
    "page_title": "Déan do chárta gealltanais",
    # The week's name in the nominative, first: after "do" it would need lenition (do
    # Sheachtain), which {week_name} cannot give.
    "intro": "{week_name} ({dates}): déan do chárta gealltanais féin agus roinn é.",
    "this_page": "Leagan Gaeilge den leathanach seo",
    "error_title": "Tá fadhb ann",
    "error_prefix": "Earráid:",
    "pledge_own": "I m'fhocail féin",
    "pledge_own_label": "Do ghealltanas i d'fhocail féin",
    "pledge_own_hint": "Tagann sé i ndiaidh \u201c{intro}\u201d ar do chárta.",
    # {count} is "7 gcarachtar", "21 charachtar", "20 carachtar": count_noun in the form
    # the number asks for (CO 9.3). Zero and one are said in words.
    "count_left": "Tá {count} fágtha agat",
    "count_none_left": "Níl aon charachtar fágtha agat",
    "count_one_left": "Tá carachtar amháin fágtha agat",
    "count_over": "Tá {count} sa bhreis agat",
    "count_one_over": "Tá carachtar amháin sa bhreis agat",
    "count_noun": "carachtar",
    "choose_photo": "Roghnaigh grianghraf",
    "no_photo": "Níl grianghraf roghnaithe",
    "consent": "Ná húsáid grianghraf de leanbh ach le cead ó thuismitheoir nó ó chúramóir "
               "an linbh.",
    "position": "Bog do ghrianghraf",
    "position_hint": "Tarraing nó fáisc an grianghraf, nó úsáid na cnaipí seo.",
    "position_plain": "Coinníonn do chárta aghaidheanna le feiceáil leis féin. Chun an "
                      "grianghraf a shocrú tú féin, roghnaigh \u201cMar a shocraím é\u201d "
                      "agus bog na sleamhnáin.",
    "crop_auto": "Leis féin, ag coinneáil aghaidheanna le feiceáil",
    "crop_set": "Mar a shocraím é",
    "crop_x": "Ó chlé go deas",
    "crop_y": "Ó bharr go bun",
    "zoom": "Zúmáil",
    "move_left": "Bog ar chlé",
    "move_right": "Bog ar dheis",
    "move_up": "Bog suas",
    "move_down": "Bog síos",
    "zoom_in": "Zúmáil isteach",
    "zoom_out": "Zúmáil amach",
    "reset": "Athshocraigh an suíomh",
    "kept_photo": "Tá do ghrianghraf fós anseo: ní gá duit é a roghnú arís.",
    "kept_alt": "An grianghraf a roghnaigh tú",
    "photo_remove": "Déan mo chárta gan an grianghraf seo",
    "photo_reading": "Do ghrianghraf á ullmhú\u2026",
    "photo_sending": "Do ghrianghraf á sheoladh: {percent}%",
    "photo_placing": "Ag aimsiú na háite is fearr do do ghrianghraf\u2026",
    "photo_small": "Tá do ghrianghraf beag: d'fhéadfadh sé a bheith doiléir ar do chárta.",
    "more_choices": "Stíl an chárta agus cineál comhaid",
    "style_auto": "Cárta grianghraif má chuirim grianghraf leis",
    "style_photo": "Cárta grianghraif: líonann mo ghrianghraf an barr",
    "style_text": "Cárta focal: mo ghrianghraf beag, in aice leis an teideal",
    "style_needs_photo": "Teastaíonn grianghraf ó chárta grianghraif: roghnaigh ceann thuas, "
                         "nó déanfar cárta focal duit.",
    "format": "Méid",
    "format_hint": "An áit a roinnfidh tú é.",
    "image_format": "Cineál comhaid",
    "image_format_hint": "Le grianghraf, níl JPEG ach thart ar an seachtú cuid de mhéid PNG "
                         "agus tá an chuma chéanna air, mar sin sroicheann sé d'fhón níos "
                         "tapúla. Is comhad PDF a gheobhaidh tú i gcónaí le Priontáil A5.",
    "auto": "An ceann is fearr le roinnt (JPEG le grianghraf, PNG gan cheann)",
    "preview": "Réamh\u00adamharc",  # \u00ad: a narrow screen may break it there
    "preview_hint": "Athraíonn do chárta de réir mar a chlóscríobhann tú.",
    "preview_busy": "Ag nuashonrú an réamhamhairc\u2026",
    "preview_alt": "Réamhamharc ar do chárta gealltanais.",
    "preview_name": "D'ainm",
    "preview_error": "Ní féidir an réamhamharc a thaispeáint faoi láthair: is féidir leat "
                     "do chárta a dhéanamh fós.",
    "submit": "Déan mo chárta",
    "again": "Déan mo chárta arís",
    "your_card": "Do chárta",
    "download": "Íoslódáil {filename}",
    "share": "Roinn",
    "shared": "Roinnte.",
    "caption": "Téacs molta don phostáil",
    "alt_text": "Téacs malartach (cur síos ar an íomhá)",
    "alt_text_hint": "Greamaigh é seo san áit a n-iarrann d'aip téacs malartach nó cur síos "
                     "ar an íomhá, ar mhaithe le daoine a úsáideann léitheoirí scáileáin.",
    "copy_caption": "Cóipeáil an téacs molta",
    "copy_alt": "Cóipeáil an téacs malartach",
    "copied": "Cóipeáilte.",
    "making": "Do chárta á dhéanamh\u2026",
    "sending": "Á sheoladh: {percent}%",
    "receiving": "Tá do chárta ar a bhealach\u2026",
    "made": "Tá do chárta réidh: {filename}.",
    "made_without_photo": "Tá do chárta réidh, gan ghrianghraf: ní féidir an grianghraf a "
                          "roghnaigh tú a úsáid (féach thuas). {filename}.",
    "stale": "D'athraigh tú do chárta: brúigh \u201cDéan mo chárta\u201d chun é a "
             "dhéanamh arís.",
    "save_hint": "Ar fhón, brúigh agus coinnigh an cárta chun é a shábháil nó a roinnt.",
    "caption_ready": "Tá an téacs molta cóipeáilte: greamaigh isteach i do phostáil é.",
    "inapp_title": "Coinnigh do chárta",
    "inapp_save": "Brúigh agus coinnigh do chárta, ansin roghnaigh an íomhá a shábháil "
                  "(\u201cSave image\u201d nó \u201cSave to Photos\u201d ar fhón i "
                  "mBéarla).",
    "inapp_browser": "Ní oibríonn íoslódálacha i mbrabhsálaí {app}. Chun do chárta a "
                     "íoslódáil, oscail an leathanach seo i mbrabhsálaí d'fhóin féin: "
                     "tapáil \u22ef nó \u22ee ag barr an scáileáin agus roghnaigh "
                     "\u201cOpen in browser\u201d.",
    "this_app": "na haipe seo",
    "privacy_title": "Do phríobháid\u00adeachas",
    # gan lenites an unqualified noun but not d, t, s or f (gan fianáin), nor a qualified
    # one (gan comhartha uisce): CO 10.2.5.
    "privacy": "Ní úsáidtear d'ainm, do ghealltanas ná do ghrianghraf ach chun do chárta "
               "a dhéanamh, i gcuimhne an fhreastalaí seo. Ní stóráiltear, ní logáiltear "
               "agus ní roinntear aon rud, agus ní choinnítear aon rud a luaithe is atá do "
               "chárta déanta. Gan chuntas, gan fianáin, gan rianú, gan comhartha uisce, gan "
               "ríomhphost.",
    "campaign": "Leathanach an fheachtais",
    "busy": "Tá an freastalaí gnóthach ag déanamh cártaí eile. Bain triail eile as i "
            "gceann cúpla soicind.",
    "png": "PNG (is géire, is mó)", "jpeg": "JPEG",
    "webp": "WebP (is lú; ní ghlacann gach aip leis)",
    "fmt_instagram-square": "Instagram, cearnógach",
    "fmt_instagram-portrait": "Instagram, portráid",
    "fmt_story": "Scéal (Instagram, Facebook)",
    "fmt_facebook": "Postáil Facebook",
    "fmt_x": "X (Twitter)",
    "fmt_linkedin": "LinkedIn",
    "fmt_print-a5": "Priontáil A5 le síniú (PDF)",
}

PAGES: Mapping[str, Mapping[str, str]] = {"en": EN, "ga": GA}


def page_strings(language: str) -> dict[str, str]:
    """The page's words in `language` (English for a language the page lacks, and for
    any word it lacks), with the supporter fields' labels and hints from the table."""
    own = PAGES.get(language, {})
    return {**EN, **own, **page_words(language)}


def count_forms(language: str) -> dict[str, Any]:
    """What the page's script needs to say a count in `language`: the sentences, and
    the count noun's form for each kind of number (core/irish.py number_mutation; the
    script has the same rule, checked by tests/test_irish_page.py for 0 to 1,000)."""
    s = page_strings(language)
    noun = s["count_noun"]
    irish = language == "ga"
    forms = {"none": noun,
             "lenition": lenite(noun) if irish else noun,
             "lenition_aon": lenite(noun, after_aon=True) if irish else noun,
             "eclipsis": eclipse(noun) if irish else noun}
    return {"left": s["count_left"], "none_left": s["count_none_left"],
            "one_left": s["count_one_left"], "over": s["count_over"],
            "one_over": s["count_one_over"], "noun": forms}


def count_message(language: str, left: int) -> str:
    """'You have 7 characters left' / 'Tá 7 gcarachtar fágtha agat'; a negative `left`
    is how many too many."""
    forms = count_forms(language)
    n = abs(left)
    if n == 0:
        return str(forms["none_left"])
    if n == 1:
        return str(forms["one_left" if left > 0 else "one_over"])
    count = f"{n} {forms['noun'][number_mutation(n)]}"
    return str(forms["left" if left > 0 else "over"]).format(count=count)
