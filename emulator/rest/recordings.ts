import { apiError } from '../http.js';
import { recordingContentType } from './media.js';
import { checkAccount, Query } from './query.js';
import type { RestRequest } from './routes.js';

/**
 * readCallRecording, `GET /restapi/v1.0/account/{accountId}/recording/{recordingId}` (Heavy,
 * ReadCallRecording), on the API origin as the records' `recording.uri` says: the recording's
 * metadata, whose `contentUri` points at the media origin.
 */
export function readCallRecording({ ctx, params, origin, accountId, pathname }: RestRequest): unknown {
  new Query(params, []);
  checkAccount(ctx, accountId);
  const recordingId = pathname.split('/').at(-1) ?? '';
  const serial = ctx.calls.recordingOwner(recordingId, ctx.now());
  if (serial === undefined) {
    throw apiError(404, 'CMN-102', 'Resource for parameter [recordingId] is not found', { parameterName: 'recordingId' });
  }
  const record = ctx.calls.render(serial, 'Simple', origin, 'account', ctx.now());
  const path = `/restapi/v1.0/account/${ctx.dataset.accountId}/recording/${recordingId}/content`;
  return {
    id: recordingId,
    contentUri: `${ctx.dataset.mediaOrigin ?? origin}${path}`,
    contentType: recordingContentType(recordingId),
    duration: Number(record.duration ?? 0),
  };
}
