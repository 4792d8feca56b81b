/** "Ann Lee · ann@example.com", or the e-mail alone for a customer without a name. */
export function sampleLine(m: { firstName?: string | null; lastName?: string | null; email?: string | null }): string {
  const name = [m.firstName, m.lastName].filter(Boolean).join(" ");
  const email = m.email ?? "";
  return name && email ? `${name} · ${email}` : name || email;
}
