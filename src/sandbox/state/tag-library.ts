import { ERRCODE } from '../../wecom/errcodes.ts';
import { ApiError, invalid } from '../server/api-error.ts';
import { tagIdFor } from '../company/ids.ts';
import { TAG_ID_STREAMS } from '../company/libraries.ts';
import type { SandboxCorpTagGroup } from '../company/view.ts';

/**
 * The corp customer-tag library as the server holds it: starts as generated, then follows
 * add/edit/del_corp_tag (wecom-api.md §3, doc 92117). New ids are numbered per sandbox, so the same
 * sequence of writes yields the same ids.
 */
type Tag = SandboxCorpTagGroup['tag'][number];

/** WeCom's limit for a corp tag library (40126 beyond it); names are at most 30 characters. */
const MAX_TAGS = 3000;
const MAX_NAME = 30;

export class TagLibrary {
  private readonly groups: SandboxCorpTagGroup[];
  private created = 0;

  constructor(
    private readonly seed: number,
    initial: SandboxCorpTagGroup[],
  ) {
    this.groups = structuredClone(initial);
  }

  all(): SandboxCorpTagGroup[] {
    return this.groups;
  }

  size(): number {
    return this.groups.reduce((n, g) => n + g.tag.length, 0);
  }

  hasTag(id: string): boolean {
    return this.groups.some((g) => g.tag.some((t) => t.id === id));
  }

  groupOfTag(id: string): SandboxCorpTagGroup | undefined {
    return this.groups.find((g) => g.tag.some((t) => t.id === id));
  }

  /** add_corp_tag: into `group_id`, or into the group named `group_name` (created if new). */
  add(input: { groupId?: string; groupName?: string; order?: number; tags: Array<{ name: string; order?: number }> }, now: number) {
    if (input.tags.length === 0) throw invalid('tag', 'at least one tag is required');
    if (this.size() + input.tags.length > MAX_TAGS) throw new ApiError(ERRCODE.INVALID_PARAMETER, 'corp tag library is full');
    let group = input.groupId ? this.groups.find((g) => g.group_id === input.groupId) : undefined;
    if (input.groupId && !group) throw new ApiError(ERRCODE.INVALID_TAG_ID, `group_id ${input.groupId}`);
    if (!group) {
      if (!input.groupName) throw invalid('group_name', 'required when group_id is not given');
      checkName(input.groupName, 'group_name');
      group = this.groups.find((g) => g.group_name === input.groupName);
    }
    if (!group) {
      group = {
        group_id: tagIdFor(this.seed, TAG_ID_STREAMS.newGroup, this.created++),
        group_name: input.groupName!, create_time: now, order: input.order ?? 0, tag: [],
      };
      this.groups.push(group);
    }
    const added: Tag[] = [];
    for (const tag of input.tags) {
      checkName(tag.name, 'tag.name');
      if ([...group.tag, ...added].some((t) => t.name === tag.name)) throw new ApiError(ERRCODE.TAG_NAME_EXISTS, tag.name);
      added.push({ id: tagIdFor(this.seed, TAG_ID_STREAMS.newTag, this.created++), name: tag.name, create_time: now, order: tag.order ?? 0 });
    }
    group.tag.push(...added);
    return { group_id: group.group_id, group_name: group.group_name, create_time: group.create_time, order: group.order, tag: added };
  }

  /** edit_corp_tag: `id` is a tag or a group. */
  edit(id: string, name: string | undefined, order: number | undefined): void {
    if (name !== undefined) checkName(name, 'name');
    const group = this.groups.find((g) => g.group_id === id);
    if (group) {
      if (name !== undefined && this.groups.some((g) => g !== group && g.group_name === name)) throw new ApiError(ERRCODE.TAG_NAME_EXISTS, name);
      if (name !== undefined) group.group_name = name;
      if (order !== undefined) group.order = order;
      return;
    }
    const owner = this.groupOfTag(id);
    if (!owner) throw new ApiError(ERRCODE.INVALID_TAG_ID, id);
    const tag = owner.tag.find((t) => t.id === id)!;
    if (name !== undefined && owner.tag.some((t) => t !== tag && t.name === name)) throw new ApiError(ERRCODE.TAG_NAME_EXISTS, name);
    if (name !== undefined) tag.name = name;
    if (order !== undefined) tag.order = order;
  }

  /** del_corp_tag: a group whose last tag goes is deleted with it, as WeCom does. */
  remove(tagIds: string[], groupIds: string[]): void {
    if (tagIds.length === 0 && groupIds.length === 0) throw invalid('tag_id/group_id', 'one of them is required');
    for (const id of groupIds) if (!this.groups.some((g) => g.group_id === id)) throw new ApiError(ERRCODE.INVALID_TAG_ID, id);
    for (const id of tagIds) if (!this.hasTag(id)) throw new ApiError(ERRCODE.INVALID_TAG_ID, id);
    for (let g = this.groups.length - 1; g >= 0; g--) {
      const group = this.groups[g];
      group.tag = group.tag.filter((t) => !tagIds.includes(t.id));
      if (groupIds.includes(group.group_id) || group.tag.length === 0) this.groups.splice(g, 1);
    }
  }
}

function checkName(name: unknown, field: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME) {
    throw invalid(field, `1–${MAX_NAME} characters`);
  }
}
