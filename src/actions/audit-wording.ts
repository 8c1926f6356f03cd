/** The category of an audit action when the app gives none. */
export function auditCategoryOf(action: string): string {
  switch (action) {
    case 'LOGIN':
    case 'LOGOUT':
      return 'authentication';
    case 'PERMISSION_CHANGE':
      return 'authorization';
    case 'PURGE':
    case 'ANONYMIZE':
    case 'VERIFY':
      return 'system';
    default:
      return 'data_management';
  }
}

const VERBS: Readonly<Record<string, string>> = {
  CREATE: 'created',
  READ: 'read',
  UPDATE: 'updated',
  DELETE: 'deleted',
  LOGIN: 'logged in',
  LOGOUT: 'logged out',
  EXPORT: 'exported',
  PERMISSION_CHANGE: 'changed permissions of',
  PURGE: 'purged',
  ANONYMIZE: 'anonymised',
  VERIFY: 'verified',
};

/** "updated invoice 'INV-7'", "logged in", "performed ARCHIVE on document 'd1'". */
export function auditDescriptionOf(action: string, resourceType?: string, resourceId?: string | number | null): string {
  // "logged in", not "logged in session": a session is what logging in means.
  if ((action === 'LOGIN' || action === 'LOGOUT') && (resourceType === undefined || resourceType === 'session')) return VERBS[action]!;
  const resource = resourceType === undefined ? '' : resourceId === undefined || resourceId === null ? resourceType : `${resourceType} '${resourceId}'`;
  const verb = VERBS[action];
  if (verb === undefined) return resource === '' ? `performed ${action}` : `performed ${action} on ${resource}`;
  return resource === '' ? verb : `${verb} ${resource}`;
}
