#!/usr/bin/env bash
# Fails when emulator/ includes pipeline/ or pipeline/ includes emulator/, or when protocol/
# includes either (STYLE.md: protocol <- emulator, protocol <- pipeline).
root=${1:-.}
bad=0
if grep -rn '#include "pipeline/' "$root/emulator" "$root/protocol"; then bad=1; fi
if grep -rn '#include "emulator/' "$root/pipeline" "$root/protocol"; then bad=1; fi
if grep -rn 'sqlite3' "$root/protocol" --include='*.h' --include='*.cc'; then bad=1; fi
[ $bad -eq 0 ] && echo "layering ok" && exit 0
echo "layering violated" >&2
exit 1
