// A SUMO network of a given size for upload tests: the small district (small-district.ts: same node and edge ids,
// so its scenario and lots work on it) as netconvert would write it, padded with a grid of streets of its own (not
// connected to the district) up to `bytes`.

const DISTRICT_NODES: [string, number, number][] = [
  ['w', -1500, 0],
  ['m', -750, 0],
  ['h', 0, 0],
  ['e', 400, 0],
  ['f', 1000, 0],
  ['hl', 0, 200],
  ['pl', 400, 150],
];
const DISTRICT_EDGES: [string, string, string, number][] = [
  ['in_w1', 'w', 'm', 13.89],
  ['in_w2', 'm', 'h', 13.89],
  ['h_e', 'h', 'e', 13.89],
  ['e_f', 'e', 'f', 13.89],
  ['f_e', 'f', 'e', 13.89],
  ['e_h', 'e', 'h', 13.89],
  ['h_m', 'h', 'm', 13.89],
  ['m_w', 'm', 'w', 13.89],
  ['h_gate', 'h', 'hl', 5.56],
  ['p_gate', 'e', 'pl', 5.56],
];

function edgeXml(id: string, from: string, to: string, speed: number, length: number): string {
  return (
    `  <edge id="${id}" from="${from}" to="${to}" priority="1">\n` +
    `    <lane id="${id}_0" index="0" speed="${speed}" length="${length.toFixed(2)}" shape="0,0 1,1"/>\n` +
    `  </edge>\n`
  );
}

export function bigSumoNet(bytes: number): string {
  const where = new Map(DISTRICT_NODES.map(([id, x, y]) => [id, { x, y }]));
  const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n<net version="1.20">\n'];
  for (const [id, x, y] of DISTRICT_NODES) parts.push(`  <junction id="${id}" type="priority" x="${x}" y="${y}"/>\n`);
  for (const [id, from, to, speed] of DISTRICT_EDGES) {
    const a = where.get(from)!;
    const b = where.get(to)!;
    parts.push(edgeXml(id, from, to, speed, Math.hypot(b.x - a.x, b.y - a.y)));
  }
  // Every turn at a district node except straight back.
  for (const [inId, , via] of DISTRICT_EDGES) {
    for (const [outId, from, to] of DISTRICT_EDGES) {
      const back = DISTRICT_EDGES.find(([id]) => id === inId)![1];
      if (from === via && to !== back)
        parts.push(`  <connection from="${inId}" to="${outId}" fromLane="0" toLane="0"/>\n`);
    }
  }
  let size = parts.reduce((sum, part) => sum + part.length, 0);
  const tail = '</net>\n';
  // Padding: rows of one-way streets far from the district.
  for (let i = 0; ; i++) {
    const x = 10_000 + (i % 100) * 100;
    const y = 10_000 + Math.floor(i / 100) * 100;
    const part =
      `  <junction id="g${i}" type="priority" x="${x}" y="${y}"/>\n` +
      (i % 100 === 0 ? '' : edgeXml(`g${i - 1}_${i}`, `g${i - 1}`, `g${i}`, 13.89, 100));
    if (size + part.length + tail.length > bytes) break;
    parts.push(part);
    size += part.length;
  }
  parts.push(tail);
  return parts.join('');
}
