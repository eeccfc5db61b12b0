/** An impersonated identity as people read it: `admin with groups system:masters`. */
export function describeActingAs(actingAs: { user: string; groups: string[] }): string {
  return actingAs.groups.length > 0 ? `${actingAs.user} with groups ${actingAs.groups.join(', ')}` : actingAs.user;
}
