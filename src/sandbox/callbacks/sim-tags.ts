import { SimulationError, type SimulationContext, type SimulationResult } from './context.ts';

/** The corp customer-tag library changed in the admin console (change_external_tag, §5.5/§5.6). */

const NEW_TAG_NAMES = ['重点跟进', '已成交', '待报价', '展会客户', '老带新', '高意向', '沉睡客户', '复购'];

function tagOf(ctx: SimulationContext, tagId: string | undefined): { id: string; name: string; groupId: string } {
  const groups = ctx.state.tags.all();
  const tags = groups.flatMap((g) => g.tag.map((tag) => ({ id: tag.id, name: tag.name, groupId: g.group_id })));
  const found = tagId !== undefined ? tags.find((tag) => tag.id === tagId) : tags.length > 0 ? ctx.rng.pick(tags) : undefined;
  if (!found) throw new SimulationError(tagId !== undefined ? `no customer tag ${tagId}` : 'no customer tag to pick');
  return found;
}

function groupIdOf(ctx: SimulationContext, groupId: string | undefined): string {
  const groups = ctx.state.tags.all();
  const found = groupId !== undefined ? groups.find((g) => g.group_id === groupId) : groups.length > 0 ? ctx.rng.pick(groups) : undefined;
  if (!found) throw new SimulationError(groupId !== undefined ? `no customer tag group ${groupId}` : 'no customer tag group to pick');
  return found.group_id;
}

export function customerTagCreated(ctx: SimulationContext, t: { groupId?: string; name?: string }): SimulationResult {
  const groupId = groupIdOf(ctx, t.groupId);
  const taken = new Set(ctx.state.tags.all().find((g) => g.group_id === groupId)!.tag.map((tag) => tag.name));
  let name = t.name;
  while (name === undefined || (t.name === undefined && taken.has(name))) name = `${ctx.rng.pick(NEW_TAG_NAMES)}${ctx.rng.int(100_000)}`;
  const added = ctx.state.tags.add({ groupId, tags: [{ name }] }, ctx.now);
  const tag = added.tag[0]!;
  return {
    changed: { group_id: groupId, tag: { id: tag.id, name: tag.name, create_time: tag.create_time } },
    events: [{ kind: 'change_external_tag.create', fields: { Id: tag.id, TagType: 'tag' } }],
  };
}

export function customerTagUpdated(ctx: SimulationContext, t: { tagId?: string; name?: string }): SimulationResult {
  const tag = tagOf(ctx, t.tagId);
  const name = t.name ?? `${tag.name.slice(0, 26)}（新）`;
  ctx.state.tags.edit(tag.id, name, undefined);
  return {
    changed: { tag: { id: tag.id, name, previousName: tag.name } },
    events: [{ kind: 'change_external_tag.update', fields: { Id: tag.id, TagType: 'tag' } }],
  };
}

/** Deleting a group's last tag deletes the group too, as WeCom does (still one tag event). */
export function customerTagDeleted(ctx: SimulationContext, t: { tagId?: string }): SimulationResult {
  const tag = tagOf(ctx, t.tagId);
  ctx.state.tags.remove([tag.id], []);
  return {
    changed: { tag: { id: tag.id, deleted: true } },
    events: [{ kind: 'change_external_tag.delete', fields: { Id: tag.id, TagType: 'tag' } }],
  };
}

/** The tags of one group get a new order (reversed). */
export function customerTagsShuffled(ctx: SimulationContext, t: { groupId?: string }): SimulationResult {
  const groupId = groupIdOf(ctx, t.groupId);
  const group = ctx.state.tags.all().find((g) => g.group_id === groupId)!;
  // WeCom lists higher `order` first: the tag shown first gets the lowest order, and so on.
  const shown = [...group.tag].sort((a, b) => b.order - a.order);
  shown.forEach((tag, i) => ctx.state.tags.edit(tag.id, undefined, (i + 1) * 10));
  return {
    changed: { group_id: groupId, order: group.tag.map((tag) => ({ id: tag.id, order: tag.order })) },
    events: [{ kind: 'change_external_tag.shuffle', fields: { Id: groupId } }],
  };
}
