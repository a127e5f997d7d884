import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { z } from 'zod';
import { getCustomer, getGroup, listCustomers, listDepartments, listEmployees, listGroups } from '../../services/directory/index.ts';
import { API, type RouteDeps } from './deps.ts';
import { corpParam, departmentParam, idParams, includeDeletedParam, limitParam, responses, searchParam } from './schemas.ts';

/** The directory as synced: employees, departments, customers (one with its consent history), customer groups. */
export async function directoryRoutes(app: FastifyInstance, _deps: RouteDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const list = { corp: corpParam, search: searchParam, includeDeleted: includeDeletedParam, limit: limitParam(500) };
  const tag = z.string().min(1).max(200).optional().describe('A tag\'s id or name');
  const followUser = z.string().min(1).max(64).optional().describe('Followed by (or in the group of) this member\'s userid');

  api.get(`${API}/employees`, {
    schema: { summary: 'Employees (like `employees --json`)', tags: ['directory'], querystring: z.object({ ...list, department: departmentParam, tag }), response: responses('EmployeesResult') },
  }, async (request) => listEmployees(request.runtime, request.query));

  api.get(`${API}/departments`, {
    schema: { summary: 'Departments as a tree, depth first (like `departments --json`)', tags: ['directory'], querystring: z.object({ ...list, department: departmentParam }), response: responses('DepartmentsResult') },
  }, async (request) => listDepartments(request.runtime, request.query));

  api.get(`${API}/customers`, {
    schema: { summary: 'Customers (like `customers --json`)', tags: ['directory'], querystring: z.object({ ...list, followUser, department: departmentParam, tag }), response: responses('CustomersResult') },
  }, async (request) => listCustomers(request.runtime, request.query));

  api.get(`${API}/customers/:id`, {
    schema: {
      summary: 'One customer with everyone following them and their archiving consent history', tags: ['directory'],
      params: idParams, querystring: z.object({ corp: corpParam, includeDeleted: includeDeletedParam }), response: responses('CustomerDetailResult'),
    },
  }, async (request) => getCustomer(request.runtime, { id: request.params.id, ...request.query }));

  api.get(`${API}/groups`, {
    schema: { summary: 'Customer groups (like `groups --json`)', tags: ['directory'], querystring: z.object({ ...list, followUser }), response: responses('GroupsResult') },
  }, async (request) => listGroups(request.runtime, request.query));

  api.get(`${API}/groups/:id`, {
    schema: { summary: 'One customer group with its members and admins', tags: ['directory'], params: idParams, querystring: z.object({ corp: corpParam }), response: responses('GroupDetailResult') },
  }, async (request) => getGroup(request.runtime, { id: request.params.id, ...request.query }));
}
