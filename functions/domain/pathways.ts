/**
 * Pathways (DESIGN §3): a capstone achievement earned automatically once a learner holds the achievements a
 * requirement tree asks for. Pure: the tree's type, its leaves, its evaluation against what a learner holds,
 * and the cycle search (over a lookup the caller provides).
 */
import type { RecordedPrincipal } from './access';
import type { ErrorDetail } from './errors';

/** `{"achievementId"}` | `{"allOf": [requirement…]}` | `{"nOf": {"n", "of": [requirement…]}}`. */
export type Requirement = { achievementId: string } | { allOf: Requirement[] } | { nOf: { n: number; of: Requirement[] } };

/** Bounds that keep a tree readable and its stored index within one DynamoDB transaction. */
export const pathwayLimits = { maxDepth: 6, maxChildren: 40, maxAchievements: 40 } as const;

/** A pathway to define, as `POST /pathways` validates it (`createPathwaySchema` in `#http/schemas/pathways`). */
export interface CreatePathway {
  issuerId: string;
  name: string;
  description?: string;
  capstoneAchievementId: string;
  requirement: Requirement;
}

/** Everything but the issuer can change; the new tree is validated (and cycle-checked) like a new one. */
export type UpdatePathway = Partial<Omit<CreatePathway, 'issuerId'>>;

export interface Pathway extends CreatePathway {
  id: string;
  /** The distinct achievements (leaves) of the requirement tree, in tree order. */
  achievementIds: string[];
  /**
   * Who wrote (or last changed) the pathway: its capstones are issued in their scope, and audited in their name
   * (DESIGN §5.8). Absent on pathways written before authors were recorded.
   */
  author?: RecordedPrincipal;
  createdAt: string;
  updatedAt: string;
}

const isLeaf = (node: Requirement): node is { achievementId: string } => 'achievementId' in node;
const isAllOf = (node: Requirement): node is { allOf: Requirement[] } => 'allOf' in node;

const childrenOf = (node: Requirement): Requirement[] => (isLeaf(node) ? [] : isAllOf(node) ? node.allOf : node.nOf.of);

/** The distinct achievement ids of the tree, in tree order. */
export const leavesOf = (requirement: Requirement): string[] => {
  const leaves = new Set<string>();
  const walk = (node: Requirement) => {
    if (isLeaf(node)) leaves.add(node.achievementId);
    else childrenOf(node).forEach(walk);
  };
  walk(requirement);
  return [...leaves];
};

const depthOf = (node: Requirement): number => 1 + Math.max(0, ...childrenOf(node).map(depthOf));

/** Structural checks zod cannot express: size, depth, the capstone outside its own tree. */
export const structuralProblems = (pathway: Pick<CreatePathway, 'capstoneAchievementId' | 'requirement'>): ErrorDetail[] => {
  const problems: ErrorDetail[] = [];
  const leaves = leavesOf(pathway.requirement);
  if (leaves.length > pathwayLimits.maxAchievements) {
    problems.push({
      field: 'requirement',
      message: `A pathway may name at most ${pathwayLimits.maxAchievements} achievements; this one names ${leaves.length}.`,
    });
  }
  if (depthOf(pathway.requirement) > pathwayLimits.maxDepth) {
    problems.push({ field: 'requirement', message: `A requirement tree may nest at most ${pathwayLimits.maxDepth} levels deep.` });
  }
  if (leaves.includes(pathway.capstoneAchievementId)) {
    problems.push({
      field: 'capstoneAchievementId',
      message: `The capstone achievement ${pathway.capstoneAchievementId} is also a step of its own requirement tree; a learner could never earn it.`,
    });
  }
  return problems;
};

/** What a learner holds that counts: achievement id → the credential that proves it. */
export type Holdings = ReadonlyMap<string, string>;

export interface Progress {
  complete: boolean;
  /** 0–100: leaves count 1; `allOf` averages its children; `nOf` averages its best `n` children. */
  percent: number;
  earned: Array<{ achievementId: string; credentialId: string }>;
  missing: string[];
  /** Missing achievements whose completion advances a node that is not yet satisfied. */
  next: string[];
}

interface Evaluation {
  satisfied: boolean;
  score: number;
}

const evaluateNode = (node: Requirement, holdings: Holdings): Evaluation => {
  if (isLeaf(node)) {
    const held = holdings.has(node.achievementId);
    return { satisfied: held, score: held ? 1 : 0 };
  }
  const children = childrenOf(node).map((child) => evaluateNode(child, holdings));
  if (isAllOf(node)) {
    return {
      satisfied: children.every((child) => child.satisfied),
      score: children.reduce((sum, child) => sum + child.score, 0) / children.length,
    };
  }
  const { n } = node.nOf;
  const best = children
    .map((child) => child.score)
    .sort((a, b) => b - a)
    .slice(0, n);
  return { satisfied: children.filter((child) => child.satisfied).length >= n, score: best.reduce((sum, score) => sum + score, 0) / n };
};

/** Is the tree satisfied by what the learner holds? */
export const isSatisfied = (requirement: Requirement, holdings: Holdings): boolean => evaluateNode(requirement, holdings).satisfied;

/** The learner's progress through one tree. */
export const progressOf = (requirement: Requirement, holdings: Holdings): Progress => {
  const root = evaluateNode(requirement, holdings);
  const leaves = leavesOf(requirement);
  const next = new Set<string>();
  const collectNext = (node: Requirement) => {
    if (evaluateNode(node, holdings).satisfied) return;
    if (isLeaf(node)) next.add(node.achievementId);
    else childrenOf(node).forEach(collectNext);
  };
  collectNext(requirement);
  return {
    complete: root.satisfied,
    percent: root.satisfied ? 100 : Math.min(99, Math.floor(root.score * 100)),
    earned: leaves.filter((id) => holdings.has(id)).map((achievementId) => ({ achievementId, credentialId: holdings.get(achievementId)! })),
    missing: leaves.filter((id) => !holdings.has(id)),
    next: leaves.filter((id) => next.has(id)),
  };
};

/** One edge of the pathway graph: `achievementId` is a step of `pathwayId`, whose capstone is `capstoneAchievementId`. */
export interface PathwayLink {
  pathwayId: string;
  achievementId: string;
  capstoneAchievementId: string;
}

/**
 * Would a pathway (capstone C, steps S) close a cycle? Earning a step leads towards its capstone; so a cycle exists
 * iff C already leads (through existing pathways, C being a step of one whose capstone is a step of another…) to
 * one of S. Walks the "pathways containing an achievement" index from C. `ignorePathwayId` is the pathway being
 * replaced (its old edges do not count). Returns the chain of achievement ids C → … → step, or undefined.
 */
export const findCycle = async (
  pathway: { capstoneAchievementId: string; steps: readonly string[]; ignorePathwayId?: string },
  pathwaysContaining: (achievementId: string) => Promise<PathwayLink[]>,
): Promise<string[] | undefined> => {
  const steps = new Set(pathway.steps);
  const start = pathway.capstoneAchievementId;
  if (steps.has(start)) return [start, start];
  const previous = new Map<string, string | undefined>([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const link of await pathwaysContaining(current)) {
      if (link.pathwayId === pathway.ignorePathwayId || previous.has(link.capstoneAchievementId)) continue;
      previous.set(link.capstoneAchievementId, current);
      if (steps.has(link.capstoneAchievementId)) {
        const chain = [link.capstoneAchievementId];
        for (let at = previous.get(link.capstoneAchievementId); at !== undefined; at = previous.get(at)) chain.unshift(at);
        return chain;
      }
      queue.push(link.capstoneAchievementId);
    }
  }
  return undefined;
};
