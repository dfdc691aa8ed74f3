/** A driver's link: the token that opens one appointment's page, and what it opens. */
export interface DriverLink {
  token: string;
  siteId: string;
  dayStartMs: number;
  appointmentId: string;
}
