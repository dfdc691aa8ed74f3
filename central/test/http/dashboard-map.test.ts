import { describe, expect, it } from 'vitest';
import { pageWidth, SIZES, startCentral, twinReport, withBrowser } from '../helpers/dashboard-browser.js';
import { ENGINEER_KEY, OPERATOR_KEY, type TestApp } from '../helpers/test-app.js';

// The dashboard's district map (issue 16 item 5), in Chromium at desktop and phone (390 px) sizes.

// A small district: a road from the west (a→b) with its way back, a junction b, the P1 gate north (b→c), the P2
// gate east (b→d); sign G1 on the road in, before the junction.
const districtMap = {
  nodes: [
    { id: 'a', xM: 0, yM: 0 },
    { id: 'b', xM: 600, yM: 0 },
    { id: 'c', xM: 600, yM: 300 },
    { id: 'd', xM: 1000, yM: 0 },
  ],
  links: [
    { id: 'ab', fromNodeId: 'a', toNodeId: 'b', laneCount: 2, name: 'Ring Rd' },
    { id: 'ba', fromNodeId: 'b', toNodeId: 'a', laneCount: 2, name: 'Ring Rd' },
    { id: 'bc', fromNodeId: 'b', toNodeId: 'c', laneCount: 1 },
    { id: 'bd', fromNodeId: 'b', toNodeId: 'd', laneCount: 1 },
  ],
  lots: [
    { siteId: 'hospital-north', lotId: 'P1', edgeId: 'bc' },
    { siteId: 'hospital-north', lotId: 'P2', edgeId: 'bd' },
  ],
  signs: [{ siteId: 'hospital-north', signId: 'G1', edgeId: 'ab' }],
};

const putMap = (t: TestApp, body: unknown, key = OPERATOR_KEY) =>
  t.app.inject({
    method: 'PUT',
    url: '/v1/dashboard/map',
    headers: { authorization: `Bearer ${key}` },
    payload: body as object,
  });

describe('PUT /v1/dashboard/map', () => {
  it('takes the map only with an operator key, refuses a bad one naming the field, and keeps the last good one', async () => {
    const { t } = await startCentral();
    try {
      expect((await putMap(t, districtMap, ENGINEER_KEY)).statusCode).toBe(401);
      expect((await putMap(t, { ...districtMap, nodes: [{ id: 'a', xM: 'west', yM: 0 }] })).json()).toMatchObject({
        code: 'CB_HTTP_BAD_REQUEST',
        path: '/nodes/0/xM',
      });
      const dangling = { ...districtMap, signs: [{ siteId: 'hospital-north', signId: 'G1', edgeId: 'nowhere' }] };
      expect((await putMap(t, dangling)).json()).toMatchObject({
        code: 'CB_HTTP_BAD_REQUEST',
        path: '/signs/0/edgeId',
      });
      expect((await t.app.inject({ method: 'GET', url: '/v1/dashboard/state' })).json().map).toBeNull();
      expect((await putMap(t, districtMap)).statusCode).toBe(204);
      expect((await putMap(t, { ...districtMap, links: [] })).statusCode).toBe(400);
      expect((await t.app.inject({ method: 'GET', url: '/v1/dashboard/state' })).json().map).toEqual(districtMap);
    } finally {
      await t.close();
    }
  });
});

describe.each(SIZES)('the district map in Chromium at $name size', (size) => {
  it('draws every link coloured by its queue, each lot with its free bays and each sign with its face', async () => {
    const { t, url } = await startCentral();
    try {
      expect((await putMap(t, districtMap)).statusCode).toBe(204);
      await t.app.inject({
        method: 'POST',
        url: '/v1/dashboard/twin',
        headers: { authorization: `Bearer ${OPERATOR_KEY}` },
        payload: { ...twinReport, linkQueuesM: { ab: 240, bc: 20 } },
      });
      await withBrowser(size, /^$/, async (page) => {
        await page.goto(`${url}/dashboard/`);
        const map = page.locator('#map svg');
        await map.locator('[data-link]').first().waitFor({ state: 'attached', timeout: 20_000 });
        expect(await map.locator('[data-link]').count()).toBe(4);
        const stroke = (id: string) => map.locator(`[data-link="${id}"]`).getAttribute('stroke');
        expect(await stroke('ab')).toBe('#b3261e');
        expect(await stroke('bc')).toBe('#e8a317');
        expect(await stroke('ba')).toBe('#b8bfca');
        // Lots at their gates with the free bays the lot cards show.
        for (const lotId of ['P1', 'P2']) {
          const card = await page.locator(`.card[data-lot="${lotId}"] [data-role="free"]`).first().textContent();
          expect(await map.locator(`[data-map-lot="${lotId}"] text`).textContent()).toBe(`${lotId} ${card} free`);
        }
        // The sign at the end of its link, showing its face.
        expect(await map.locator('[data-map-sign="G1"] .sign-line').allTextContents()).toEqual(['P1 ← 12']);
        // Where things are: P1's gate (node c) is north of P2's (node d), the sign west of both.
        const centre = async (selector: string) => {
          const box = (await map.locator(selector).boundingBox())!;
          return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
        };
        const p1 = await centre('[data-map-lot="P1"] circle');
        const p2 = await centre('[data-map-lot="P2"] circle');
        expect(p1.y).toBeLessThan(p2.y);
        expect(p1.x).toBeLessThan(p2.x);
        // Every label inside the map.
        const frame = (await map.boundingBox())!;
        const boxes = await map
          .locator('text')
          .evaluateAll((texts) => texts.map((text) => text.getBoundingClientRect().toJSON() as Record<string, number>));
        for (const box of boxes) {
          expect(box.left).toBeGreaterThanOrEqual(frame.x - 0.5);
          expect(box.right).toBeLessThanOrEqual(frame.x + frame.width + 0.5);
        }
        // Labels readable: 10 px or more as drawn.
        const heights = await map
          .locator('text')
          .evaluateAll((texts) => texts.map((text) => text.getBoundingClientRect().height));
        expect(Math.min(...heights)).toBeGreaterThanOrEqual(10);
        expect(await pageWidth(page)).toBeLessThanOrEqual(size.viewport.width);
        if (process.env.CITYBAY_SCREENSHOTS)
          await map.screenshot({ path: `${process.env.CITYBAY_SCREENSHOTS}/map-${size.name}.png` });
      });
    } finally {
      await t.close();
    }
  }, 90_000);
});
