import type { DistrictSettings } from '#config/dependencies';
import { districtPseudonym } from '#domain/credential/pseudonym';

/** The learner's district pseudonym under this deployment's pepper (credentials, CLRs and the recipient check). */
export const learnerPseudonym = async (deps: { district: Pick<DistrictSettings, 'identifierPepper'> }, sisId: string): Promise<string> =>
  districtPseudonym(await deps.district.identifierPepper(), sisId);
