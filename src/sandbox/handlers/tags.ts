import { invalid } from '../server/api-error.ts';
import { int, str, strList } from '../server/params.ts';
import type { Handler } from './types.ts';

/** The corp customer-tag library (wecom-api.md §3, doc 92117): read and write. */
export const tagHandlers = {
  'externalcontact.getCorpTagList': (call) => {
    const tagIds = strList(call.params, 'tag_id');
    const groupIds = strList(call.params, 'group_id');
    // Doc 92117: with both filters, group_id wins and tag_id is ignored.
    const groups = call.state.tags.all()
      .filter((g) => groupIds.length === 0 || groupIds.includes(g.group_id))
      .map((g) => ({ ...g, tag: groupIds.length === 0 && tagIds.length > 0 ? g.tag.filter((t) => tagIds.includes(t.id)) : g.tag }))
      .filter((g) => g.tag.length > 0);
    return {
      tag_group: groups.map((g) => ({
        group_id: g.group_id, group_name: g.group_name, create_time: g.create_time, order: g.order, deleted: false,
        tag: g.tag.map((t) => ({ id: t.id, name: t.name, create_time: t.create_time, order: t.order, deleted: false })),
      })),
    };
  },
  'externalcontact.addCorpTag': (call) => {
    const rawTags = call.params.tag;
    if (!Array.isArray(rawTags) || rawTags.length === 0) throw invalid('tag', 'at least one tag is required');
    const tags = rawTags.map((t, i) => {
      if (!t || typeof t !== 'object') throw invalid(`tag[${i}]`, 'expected an object');
      const entry = t as Record<string, unknown>;
      return { name: str(entry, 'name', { required: true, max: 30 })!, order: int(entry, 'order', { min: 0 }) };
    });
    const group = call.state.tags.add({
      groupId: str(call.params, 'group_id'),
      groupName: str(call.params, 'group_name', { max: 30 }),
      order: int(call.params, 'order', { min: 0 }),
      tags,
    }, call.state.clock.nowSeconds());
    return { tag_group: group };
  },
  'externalcontact.editCorpTag': (call) => {
    const name = str(call.params, 'name', { max: 30 });
    const order = int(call.params, 'order', { min: 0 });
    if (name === undefined && order === undefined) throw invalid('name/order', 'nothing to change');
    call.state.tags.edit(str(call.params, 'id', { required: true })!, name, order);
    return {};
  },
  'externalcontact.delCorpTag': (call) => {
    call.state.tags.remove(strList(call.params, 'tag_id'), strList(call.params, 'group_id'));
    return {};
  },
} satisfies Record<string, Handler>;
