import { isMap, isScalar, visit, type Document } from 'yaml';

/**
 * Duplicate map keys, found in linear time. `yaml`'s own `uniqueKeys` check
 * compares each key with every earlier key of its map: quadratic, so a
 * 1 MB map of distinct keys took minutes. Documents are parsed with
 * `uniqueKeys: false` and checked here instead, reporting what `yaml` would:
 * `DUPLICATE_KEY` "Map keys must be unique" at the repeated key.
 */
export interface DuplicateKey {
  pos: [number, number];
  code: 'DUPLICATE_KEY';
  message: string;
}

export function duplicateKeys(doc: Document.Parsed): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map)) return;
      const seen = new Set<string>();
      for (const pair of map.items) {
        const k = pair.key;
        if (!isScalar(k)) continue; // complex keys are rare; yaml compares them by identity only
        const id = `${typeof k.value}:${String(k.value)}`;
        if (seen.has(id) && k.range) out.push({ pos: [k.range[0], k.range[0] + 1], code: 'DUPLICATE_KEY', message: 'Map keys must be unique' });
        seen.add(id);
      }
    },
  });
  return out;
}
