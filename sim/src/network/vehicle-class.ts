/**
 * Whether a SUMO lane is open to passenger cars, by SUMO's rules: `allow` lists the classes that may use it (and then
 * `disallow` is ignored), else `disallow` lists those that may not; neither means every class. `all` stands for every
 * class. (Lanes written with abstract groups such as `private` are rare in netconvert output: a lane allowing only
 * `private`, `taxi` or `bus` is not a car lane.)
 */
export function isOpenToCars(allow: string | undefined, disallow: string | undefined): boolean {
  const names = (list: string) => list.trim().split(/\s+/);
  if (allow !== undefined) return names(allow).some((c) => c === 'passenger' || c === 'all');
  if (disallow !== undefined) return !names(disallow).some((c) => c === 'passenger' || c === 'all');
  return true;
}
