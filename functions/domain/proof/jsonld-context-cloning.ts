/**
 * jsonld.js copies the whole active context every time a context applies — and the OB 3.0 context applies a
 * type-scoped context at nearly every node, validating each property-scoped context it defines with yet another
 * copy. Those copies are deep (every term definition, recursively) and take most of the time spent signing or
 * verifying an Open Badge (jsonld.js issue #414, "Test performance of active context clone fix").
 *
 * A term definition is never changed after it is created: processing a context writes fresh definition objects into
 * the *copy's* map, and only puts an untouched previous definition back when it rolls back. So copying the map itself
 * (not the definitions) is enough for a copy to be independent of its parent. jsonld.js clones a Map nowhere else —
 * documents are plain JSON — so the change is confined to active contexts. The canonical N-Quads stay identical:
 * test/unit/proof/jsonld-context-cloning.test.ts compares them with an untouched jsonld.js on the official examples
 * and on random credentials, and the official test vector still reproduces byte for byte.
 */
import jsonldUtil from 'jsonld/lib/util.js';

const marker = Symbol.for('merit.jsonld.shallowMapClone');
type Clone = ((value: unknown) => unknown) & { [marker]?: true };

const deepClone: Clone = jsonldUtil.clone;
if (!deepClone[marker]) {
  const cloneSharingDefinitions: Clone = (value) => {
    if (typeof value !== 'object' || value === null) return value;
    if (value instanceof Map) return new Map(value);
    // Plain objects (an active context's `protected` flags, JSON nodes): copied as jsonld.js would, without a call
    // per primitive value.
    if (Object.getPrototypeOf(value) === Object.prototype) {
      const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const key in copy) if (typeof copy[key] === 'object' && copy[key] !== null) copy[key] = cloneSharingDefinitions(copy[key]);
      return copy;
    }
    return deepClone(value);
  };
  cloneSharingDefinitions[marker] = true;
  jsonldUtil.clone = cloneSharingDefinitions;
}

/** Whether jsonld.js copies active contexts without copying their term definitions (always, once this is imported). */
export const sharesTermDefinitions = (): boolean => Boolean((jsonldUtil.clone as Clone)[marker]);
