import type { PersonStatus, RecordsAccess, Role } from '../../db/schema';

/** The signed-in person as the API sees them; never includes the password hash. */
export interface Actor {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  state: string | null;
  recordsAccess: RecordsAccess;
  status: PersonStatus;
}
