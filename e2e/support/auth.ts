import path from 'node:path';

/** Where the signed-in demo admin's cookies are kept between the setup and the tests. */
export const ADMIN_STATE = path.join(import.meta.dirname, '..', '.auth', 'admin.json');
