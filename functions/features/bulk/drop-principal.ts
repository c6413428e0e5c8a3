import { actingThrough, type Principal, type RecordedPrincipal } from '#domain/access';

/**
 * Who a drop acts for (DESIGN §4): a file uploaded through `POST /bulk-jobs/uploads` for its uploader, through the
 * drop (audited as `via: sis-drop:<job>`); a file put into `drops/` directly for the district — whoever could put it
 * there is district IT or its SIS automation.
 */
export const dropPrincipal = (jobId: string, uploadedBy: RecordedPrincipal | undefined): Principal =>
  uploadedBy
    ? actingThrough(uploadedBy, `sis-drop:${jobId}`)
    : { subject: `sis-drop:${jobId}`, role: 'admin', schoolIds: [], learnerIds: [] };
