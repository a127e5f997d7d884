import type { CursorPage, EndpointName, endpoints } from './endpoints.ts';
import type * as A from './types-archive.ts';
import type * as C from './types-customer.ts';
import type * as D from './types-directory.ts';

/**
 * Request and response types keyed by the catalogue names of endpoints.ts (style-anchors lesson A.2),
 * so `client.call('user.get', { userid })` is typed end to end. `res` excludes errcode/errmsg, which
 * every answer carries (see `WecomAnswer`). The check at the bottom fails to compile when the
 * catalogue gains an endpoint without types here, or the other way round.
 */

type E = Record<string, never>;

export interface EndpointTypes {
  'token.get': { req: D.TokenGetReq; res: D.TokenGetRes };

  'department.list': { req: D.DepartmentIdsReq; res: D.DepartmentListRes };
  'department.simplelist': { req: D.DepartmentIdsReq; res: D.DepartmentSimplelistRes };
  'department.get': { req: D.DepartmentGetReq; res: D.DepartmentGetRes };
  'user.simplelist': { req: D.DepartmentMembersReq; res: D.UserSimplelistRes };
  'user.list': { req: D.DepartmentMembersReq; res: D.UserListRes };
  'user.listId': { req: D.UserListIdReq; res: D.UserListIdRes };
  'user.get': { req: D.UserGetReq; res: D.User };
  'user.getuserid': { req: D.UserGetuseridReq; res: D.UseridRes };
  'user.getUseridByEmail': { req: D.UserGetUseridByEmailReq; res: D.UseridRes };
  'tag.list': { req: E; res: D.TagListRes };
  'tag.get': { req: D.TagGetReq; res: D.TagGetRes };
  'auth.getuserinfo': { req: D.AuthGetuserinfoReq; res: D.AuthGetuserinfoRes };
  'auth.getuserdetail': { req: D.AuthGetuserdetailReq; res: D.AuthGetuserdetailRes };

  'externalcontact.getFollowUserList': { req: E; res: C.FollowUserListRes };
  'externalcontact.list': { req: C.ExternalcontactListReq; res: C.ExternalcontactListRes };
  'externalcontact.get': { req: C.ExternalcontactGetReq; res: C.ExternalcontactGetRes };
  'externalcontact.batchGetByUser': { req: C.BatchGetByUserReq; res: C.BatchGetByUserRes };
  'externalcontact.remark': { req: C.RemarkReq; res: E };
  'externalcontact.getCorpTagList': { req: C.GetCorpTagListReq; res: C.GetCorpTagListRes };
  'externalcontact.addCorpTag': { req: C.AddCorpTagReq; res: C.AddCorpTagRes };
  'externalcontact.editCorpTag': { req: C.EditCorpTagReq; res: E };
  'externalcontact.delCorpTag': { req: C.DelCorpTagReq; res: E };
  'externalcontact.markTag': { req: C.MarkTagReq; res: E };
  'externalcontact.groupchatList': { req: C.GroupchatListReq; res: C.GroupchatListRes };
  'externalcontact.groupchatGet': { req: C.GroupchatGetReq; res: C.GroupchatGetRes };
  'externalcontact.addContactWay': { req: C.AddContactWayReq; res: C.AddContactWayRes };
  'externalcontact.getContactWay': { req: C.ConfigIdReq; res: C.GetContactWayRes };
  'externalcontact.listContactWay': { req: C.ListContactWayReq; res: C.ListContactWayRes };
  'externalcontact.updateContactWay': { req: C.UpdateContactWayReq; res: E };
  'externalcontact.delContactWay': { req: C.ConfigIdReq; res: E };
  'externalcontact.closeTempChat': { req: C.CloseTempChatReq; res: E };
  'externalcontact.getUnassignedList': { req: C.GetUnassignedListReq; res: C.GetUnassignedListRes };
  'externalcontact.resignedTransferCustomer': { req: C.TransferCustomerReq; res: C.TransferCustomerRes };
  'externalcontact.resignedTransferResult': { req: C.TransferResultReq; res: C.TransferResultRes };
  'externalcontact.transferCustomer': { req: C.TransferCustomerReq; res: C.TransferCustomerRes };
  'externalcontact.transferResult': { req: C.TransferResultReq; res: C.TransferResultRes };
  'externalcontact.groupchatTransfer': { req: C.GroupchatTransferReq; res: C.GroupchatTransferRes };

  'msgaudit.getPermitUserList': { req: A.GetPermitUserListReq; res: A.GetPermitUserListRes };
  'msgaudit.checkSingleAgree': { req: A.CheckSingleAgreeReq; res: A.CheckSingleAgreeRes };
  'msgaudit.checkRoomAgree': { req: A.CheckRoomAgreeReq; res: A.CheckRoomAgreeRes };
  'msgaudit.groupchatGet': { req: A.MsgauditGroupchatGetReq; res: A.MsgauditGroupchatGetRes };
  'msgaudit.getRobotInfo': { req: A.GetRobotInfoReq; res: A.GetRobotInfoRes };
}

/** What WeCom actually sends: the typed fields plus errcode 0 / errmsg "ok". */
export type WecomAnswer<T> = T & { errcode: number; errmsg: string };

export type ReqOf<N extends EndpointName> = EndpointTypes[N]['req'];
export type ResOf<N extends EndpointName> = WecomAnswer<EndpointTypes[N]['res']>;

/** Endpoints the catalogue declares with cursor pagination. */
export type PagedEndpointName = {
  [N in EndpointName]: (typeof endpoints)[N] extends { page: CursorPage } ? N : never;
}[EndpointName];

/** The element type of a paged endpoint's items field (e.g. `dept_user` rows for `user.listId`). */
export type PageItem<N extends PagedEndpointName> =
  (typeof endpoints)[N] extends { page: { itemsField: infer F extends string } }
    ? F extends keyof EndpointTypes[N]['res']
      ? NonNullable<EndpointTypes[N]['res'][F]> extends Array<infer I> ? I : never
      : never
    : never;

// Compile-time completeness: catalogue keys and typed keys must be the same set.
type MissingTypes = Exclude<EndpointName, keyof EndpointTypes>;
type UnknownTypes = Exclude<keyof EndpointTypes, EndpointName>;
const catalogueAndTypesAgree: [MissingTypes, UnknownTypes] extends [never, never] ? true : never = true;
void catalogueAndTypesAgree;
