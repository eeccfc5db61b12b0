import { formatDuration } from '../../duration.js';
import { IncError, UsageError } from '../../errors.js';
import type { GettableSilence, PostableSilence } from '../../triage/adapters/alertmanager-types.js';
import type { ActionContext, ActionPlan, MutatingAction } from '../action-types.js';
import type { ActionWith } from '../action-with.js';
import { planSilence, type SilencePlanDetail } from '../alertmanager/plan-silence.js';
import { formatMatcher } from '../alertmanager/silence-matchers.js';
import type { SilenceApi } from '../ports.js';

type SilenceWith = ActionWith<'alertmanager.silence'>;

export const alertmanagerSilence: MutatingAction<'alertmanager.silence'> = {
  name: 'alertmanager.silence',
  description:
    'silence alerts in Alertmanager for a while, the incident named in its comment (expire: ID lifts one; inc undo does)',
  mutating: true,
  async plan(ctx, w) {
    const api = await openAlertmanager(ctx);
    if (w.expire) return planExpire(api, w.expire);
    return planSilence(
      {
        api,
        now: ctx.clock.now(),
        linked: (await ctx.incidentAlerts?.()) ?? [],
        incidentId: ctx.recorder.incidentId,
        createdBy: api.createdBy ?? ctx.actor,
      },
      w,
    );
  },
  async apply(ctx, plan, w) {
    const api = await openAlertmanager(ctx);
    if (w.expire) {
      await api.expireSilence(w.expire);
      return { message: `expired silence ${w.expire} in ${api.name}`, after: { state: 'expired' } };
    }
    const detail = plan.detail as unknown as SilencePlanDetail;
    await confirmBroad(ctx, detail, w);
    // Alertmanager refuses a silence that ends in the past: it starts now, at apply time.
    const startsAt = ctx.clock.now();
    const endsAt = new Date(startsAt.getTime() + detail.durationMs);
    const silence: PostableSilence = {
      ...detail.silence,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
    };
    const id = await api.createSilence(silence);
    // The id is known only now: the recorded inverse (inc undo) expires this very silence.
    plan.inverse = { action: 'alertmanager.silence', with: { expire: id }, summary: `expire silence ${id}` };
    return {
      message: `created silence ${id} in ${api.name}, until ${silence.endsAt}`,
      after: { silenceId: id, ...silence, covers: detail.covers.map((c) => c.fingerprint) },
    };
  },
  async verify(ctx, plan, w) {
    const api = await openAlertmanager(ctx);
    const id = w.expire ?? String(plan.inverse?.with.expire ?? '');
    const silence = await api.silence(id);
    const wanted = w.expire ? 'expired' : 'active';
    if (silence.status?.state !== wanted)
      throw new IncError(`silence ${id} is ${silence.status?.state ?? 'unknown'} in ${api.name}, not ${wanted}`);
    return w.expire ? `silence ${id} is expired` : `silence ${id} is active until ${silence.endsAt}`;
  },
  defaultTimeout: '30s',
};

async function openAlertmanager(ctx: ActionContext): Promise<SilenceApi> {
  if (!ctx.alertmanager) throw new IncError('no Alertmanager is available to this run');
  return ctx.alertmanager();
}

/** The plan of lifting a silence (the inverse of creating one); its own inverse creates it again. */
async function planExpire(api: SilenceApi, id: string): Promise<ActionPlan> {
  const silence: GettableSilence = await api.silence(id);
  const matchers = silence.matchers.map(formatMatcher);
  const state = silence.status?.state ?? 'unknown';
  const duration = Date.parse(silence.endsAt) - Date.parse(silence.startsAt);
  return {
    action: 'alertmanager.silence',
    summary: `expire silence ${id} (${matchers.join(', ')}) in ${api.name}`,
    target: { kind: 'Silence', name: id },
    before: { silence: { id, state, matchers, endsAt: silence.endsAt, createdBy: silence.createdBy } },
    after: { silence: { id, state: 'expired' } },
    diff: [`-silence ${id} ${matchers.join(', ')} (${state}, until ${silence.endsAt})`],
    dryRun: 'not-applicable',
    skip: state === 'expired' ? `silence ${id} is already expired` : undefined,
    inverse: {
      action: 'alertmanager.silence',
      with: {
        matchers,
        duration: formatDuration(Math.max(duration, 60_000)),
        comment: silence.comment,
        broad: true,
      },
      summary: `silence ${matchers.join(', ')} again`,
    },
  };
}

/**
 * A silence that names no alert, or covers alerts the incident did not link, hides more than the
 * plan was about: it needs a "yes" of its own, which --yes does not give (`broad: true` does).
 */
async function confirmBroad(ctx: ActionContext, detail: SilencePlanDetail, w: SilenceWith): Promise<void> {
  if (detail.broad.length === 0 || w.broad) return;
  const why = detail.broad.join('; ');
  if (!ctx.interactive)
    throw new UsageError(`this silence needs explicit confirmation, even with --yes: ${why}`, {
      code: 'BROAD_SILENCE',
      hint: 'narrow it (alertname and more matchers), confirm on a terminal, or pass --set broad=true',
    });
  const ok = await ctx.prompter.confirm(`This silence ${why}. Create it anyway?`, false);
  if (!ok)
    throw new IncError('stopped: the broad silence was not confirmed; nothing was created', { code: 'DECLINED' });
}
