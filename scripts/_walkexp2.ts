import * as fs from 'node:fs';
import { execSync } from 'node:child_process';
import { GoParser } from '../server/src/languages/go/parser';
const files = execSync("find /tmp/wtree -name '*.go'").toString().trim().split('\n');
const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
const WANT = ['call_expression','identifier','selector_expression','short_var_declaration','assignment_statement','var_spec','const_spec','func_literal','return_statement','defer_statement','go_statement','unary_expression','send_statement','field_declaration','parameter_declaration','composite_literal','if_statement','interpreted_string_literal','raw_string_literal'];
void (async () => {
const p = await GoParser.create();
for (let round = 0; round < 2; round++) {
  let tParse = 0, tA = 0, tB = 0, tC = 0, n = 0;
  for (const text of texts) {
    let t = performance.now();
    const tree = p.parseTree(text);
    tParse += performance.now() - t;
    const decls = tree.rootNode.namedChildren;
    t = performance.now();
    for (const d of decls) { if (!d) continue; const xs = d.descendantsOfType(WANT); const s: number[] = []; for (const x of xs) { if (x) { s.push(x.startIndex, x.endIndex, x.typeId); n++; } } }
    tA += performance.now() - t;
    t = performance.now();
    for (const d of decls) { if (!d) continue; for (const w of WANT) { const xs = d.descendantsOfType(w); const s: number[] = []; for (const x of xs) if (x) s.push(x.startIndex, x.endIndex); } }
    tB += performance.now() - t;
    t = performance.now();
    for (const d of decls) { if (!d) continue; const xs = d.descendantsOfType(WANT); }
    tC += performance.now() - t;
    tree.delete();
  }
  console.log({ tParse, tA, tB, tC, n });
}
})();
