#!/bin/sh
# t0140-js-limits.sh — the browser's code (site-templates/js/czcrypto.js)
# and the C that writes the bundles (generator/bundle.h, lib/crypto.h)
# agree on every limit and size of the bundle format (and of a sealed
# document's, generator/docseal.h): the JS constants
# are compared with the C #defines, evaluated by the C compiler.  A limit
# changed on one side only fails here.
. "$(dirname "$0")/lib.sh"
plan 2
JS=$TOP/site-templates/js/czcrypto.js

# JS name = C expression (each JS constant that mirrors the format)
cat > "$SCRATCH/pairs" <<'PAIRS'
VERSION BUNDLE_VERSION
FRAGMENT_BYTES_MAX BUNDLE_FRAGMENT_BYTES_MAX
SALT_BYTES BUNDLE_SALT_BYTES
WRAPPED_BYTES BUNDLE_WRAPPED_BYTES
NONCE_BYTES CRYPTO_GCM_NONCE_BYTES
EXPORTED_AT_LEN BUNDLE_EXPORTED_AT_LEN
GENERATION_MAX BUNDLE_GENERATION_MAX
DOCUMENT_BYTES_MAX DOCSEAL_PDF_MAX
DOC_TOKEN_LEN DOCSEAL_TOKEN_LEN
DOC_CHECK_BYTES DOCSEAL_CHECK_BYTES
PAIRS

# the C values: a tiny program printing each define that exists
{
	echo '#include <stdio.h>'
	echo '#include "bundle.h"'
	echo '#include "docseal.h"'
	echo 'int main(void) {'
	while read -r js c; do
		printf '#ifdef %s\n\tprintf("%s %%llu\\n", (unsigned long long)(%s));\n#endif\n' "$c" "$js" "$c"
	done < "$SCRATCH/pairs"
	echo 'return 0; }'
} > "$SCRATCH/limits.c"
cc -I"$TOP/lib" -I"$TOP/generator" -o "$SCRATCH/limits" "$SCRATCH/limits.c" 2> "$SCRATCH/cc.err" &&
"$SCRATCH/limits" | sort > "$SCRATCH/c.txt"
ok "the C limits compile ($(wc -l < "$SCRATCH/c.txt") of them)" test -s "$SCRATCH/c.txt"

# the JS values: `const NAME = EXPR;` with EXPR numbers and * only
node -e '
const src = require("fs").readFileSync(process.argv[1], "utf8");
const c = require("fs").readFileSync(process.argv[2], "utf8").trim().split("\n").map((l) => l.split(" ")[0]);
const out = [];
for (const name of c) {
	const m = src.match(new RegExp(`(?:export )?const ${name} = ([0-9 *]+);`));
	out.push(`${name} ${m ? m[1].split("*").reduce((a, b) => a * Number(b), 1) : "missing"}`);
}
console.log(out.sort().join("\n"));
' "$JS" "$SCRATCH/c.txt" > "$SCRATCH/js.txt"
ok "czcrypto.js has the same values as bundle.h" diff -u "$SCRATCH/c.txt" "$SCRATCH/js.txt"
done_testing
