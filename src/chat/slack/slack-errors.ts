// Slack Web API failures as ChatError codes, so the deliverer can tell "try later" from "give up".
import { webApi } from '@slack/bolt';
import { ChatError, type ChatErrorCode } from '../../core/ports.js';

const PLATFORM_ERROR_CODES: Record<string, ChatErrorCode> = {
  ratelimited: 'rate-limited',
  rate_limited: 'rate-limited',
  channel_not_found: 'not-found',
  user_not_found: 'not-found',
  users_not_found: 'not-found',
  message_not_found: 'not-found',
  thread_not_found: 'not-found',
  not_in_channel: 'forbidden',
  is_archived: 'forbidden',
  channel_is_archived: 'forbidden',
  missing_scope: 'forbidden',
  not_authed: 'forbidden',
  invalid_auth: 'forbidden',
  account_inactive: 'forbidden',
  token_revoked: 'forbidden',
  token_expired: 'forbidden',
  no_permission: 'forbidden',
  restricted_action: 'forbidden',
  restricted_action_read_only_channel: 'forbidden',
  restricted_action_non_threadable_channel: 'forbidden',
  cant_update_message: 'forbidden',
  edit_window_closed: 'forbidden',
  ekm_access_denied: 'forbidden',
  team_access_not_granted: 'forbidden',
  not_allowed_token_type: 'forbidden',
  cannot_dm_bot: 'forbidden',
  user_disabled: 'forbidden',
  invalid_blocks: 'invalid',
  invalid_blocks_format: 'invalid',
  invalid_arguments: 'invalid',
  invalid_arg_name: 'invalid',
  msg_too_long: 'invalid',
  msg_blocks_too_long: 'invalid',
  no_text: 'invalid',
  too_many_attachments: 'invalid',
  invalid_metadata_format: 'invalid',
  invalid_metadata_schema: 'invalid',
  metadata_too_large: 'invalid',
  internal_error: 'unavailable',
  fatal_error: 'unavailable',
  service_unavailable: 'unavailable',
  request_timeout: 'unavailable',
};

/** The Slack error string ("channel_not_found") when the error came from Slack's Web API. */
export function slackErrorName(error: unknown): string | undefined {
  if (error instanceof webApi.WebAPIPlatformError) return error.data.error;
  if (error instanceof webApi.WebAPIRateLimitedError) return 'ratelimited';
  return undefined;
}

export function toChatError(error: unknown, action: string): ChatError {
  if (error instanceof ChatError) return error;
  if (error instanceof webApi.WebAPIRateLimitedError) {
    return new ChatError('rate-limited', `${action}: rate limited by Slack`, error.retryAfter * 1000);
  }
  if (error instanceof webApi.WebAPIPlatformError) {
    const name = error.data.error;
    const code = PLATFORM_ERROR_CODES[name] ?? 'unknown';
    const retryAfterSeconds = error.data.response_metadata?.retryAfter;
    const retryAfterMs = code === 'rate-limited' && typeof retryAfterSeconds === 'number' ? retryAfterSeconds * 1000 : undefined;
    return new ChatError(code, `${action}: ${name}`, retryAfterMs);
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    const code: ChatErrorCode = error.statusCode >= 500 ? 'unavailable' : 'unknown';
    return new ChatError(code, `${action}: HTTP ${error.statusCode} ${error.statusMessage}`);
  }
  if (error instanceof webApi.WebAPIRequestError) {
    // Network failures and our request timeout: worth trying again later.
    return new ChatError('unavailable', `${action}: ${error.original.message}`);
  }
  return new ChatError('unknown', `${action}: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * Refusals that will not go away by retrying and that only a workspace admin can fix: invite the bot,
 * unarchive or fix the channel id, reinstall with the scope, replace the token. A lost message
 * (message_not_found, cant_update_message) is permanent too, but nobody needs telling.
 */
const NEEDS_ADMIN = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'channel_is_archived',
  'missing_scope',
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'restricted_action',
  'restricted_action_read_only_channel',
  'ekm_access_denied',
  'team_access_not_granted',
  'not_allowed_token_type',
]);

export function needsAdminAttention(slackError: string | undefined): boolean {
  return slackError !== undefined && NEEDS_ADMIN.has(slackError);
}
