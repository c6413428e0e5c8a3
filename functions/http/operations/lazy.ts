import type { Operation, Operations } from '../types';

/**
 * Operations whose module is imported on their first call, not when the Lambda starts: a cold start evaluates only
 * what its first request needs (a verifier's first `/verify` does not evaluate the pages, baking or CLR code).
 * `ids` are the operations the module serves; a missing one is a programming error, reported on its first call.
 */
export const lazyOperations = <Id extends string>(ids: readonly Id[], load: () => Promise<Operations>): Record<Id, Operation> => {
  let loaded: Promise<Operations> | undefined;
  const operation =
    (id: Id): Operation =>
    async (context) => {
      // A failed import is retried by the next request instead of being remembered.
      loaded ??= load().catch((error: unknown) => {
        loaded = undefined;
        throw error;
      });
      const implementation = (await loaded)[id];
      if (!implementation) throw new Error(`The lazily loaded module has no operation "${id}".`);
      return implementation(context);
    };
  return Object.fromEntries(ids.map((id) => [id, operation(id)])) as Record<Id, Operation>;
};
