/** An impersonated identity a change acted as (the kubeconfig's `as`, or --as): the user and its groups. */
export interface ActingAs {
  user: string;
  groups: string[];
}

/** An impersonated identity as people read it: `admin with groups system:masters`. */
export function describeActingAs(actingAs: ActingAs): string {
  return actingAs.groups.length > 0 ? `${actingAs.user} with groups ${actingAs.groups.join(', ')}` : actingAs.user;
}
