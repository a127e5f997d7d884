/**
 * The directory capability: employees, departments, customers and customer groups as synced into
 * the store, for every face (CLI now, the API next). Read-only: every service opens the store with
 * `readStore()`, so a DATA_DIR that holds nothing yet says so instead of answering with nothing.
 */
export { listEmployees } from './employees.ts';
export { listDepartments } from './departments.ts';
export { getCustomer, listCustomers } from './customers.ts';
export { getGroup, listGroups } from './groups.ts';
