#!/bin/bash
# Paired before/after timings on a shared machine: the same commands on an older
# checkout and on this one, interleaved, pinned to one CPU.
#
#   git archive <old-commit> | tar -x -C /tmp/old
#   bench/paired.sh /tmp/old 3
#
# Prints card_bench's text-style phases and `imhcard card`'s wall and CPU times
# (one format, all seven) for each round; compare rows, not single figures.
set -euo pipefail
old=$(cd "$1" && pwd); rounds=${2:-3}
new=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-$new/.venv/bin/python}
out=$(mktemp -d)
for i in $(seq 1 "$rounds"); do
  for which in before after; do
    if [ "$which" = before ]; then src=$old; else src=$new; fi
    theme=$src/themes/2026.yaml
    echo -n "$which phases: "
    PYTHONPATH=$src taskset -c 1 "$py" "$new/bench/card_bench.py" --phases --text-only \
      --cards 200 --rounds 3 --theme "$theme" | tail -1
    for fmt in one all; do
      extra=(); [ "$fmt" = one ] && extra=(--format instagram-square)
      PYTHONPATH=$src /usr/bin/time -f "$which card $fmt: %e s wall, %U+%S s CPU" \
        "$py" -m imhcard card --name "Aoife Ní Bhriain" --pledge speak-up --org "Sure Start Newry" \
        --theme "$theme" "${extra[@]}" --out "$out/$which-$fmt-$i" 2>&1 >/dev/null | tail -1
    done
  done
done
rm -rf "$out"
