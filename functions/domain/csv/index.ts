/** The CSV side of bulk issuance: read SIS drops (streaming), write results reports (formula-safe). */
export * from './columns';
export * from './decode';
export * from './delimiter';
export * from './parse-drop';
export * from './report';
export * from './row';
