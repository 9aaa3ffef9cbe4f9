/** Campaign routes, mounted at /api; all are admin-only in the route policy table. */
import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../app';
import { readIdParam, requireActor } from '../shared/route-helpers';
import { readCampaignView, type CampaignSettings } from './campaigns/campaign';
import { cancelCampaign } from './campaigns/cancel';
import { createCampaign } from './campaigns/create';
import { listCampaigns } from './campaigns/list';
import { pauseCampaign } from './campaigns/pause';
import { previewCampaign } from './campaigns/preview';
import { resumeCampaign } from './campaigns/resume';
import { scheduleCampaign } from './campaigns/schedule';
import { sendCampaignNow } from './campaigns/start';
import { sendCampaignTest } from './campaigns/test-send';
import { updateCampaign } from './campaigns/update';

export function campaignRoutes(dependencies: AppDependencies) {
  const { database, clock, config, logger } = dependencies;
  const db = database.db;
  const { siteUrl } = config;
  const settings: CampaignSettings = {
    siteUrl,
    mailFrom: config.mailFrom,
    postalAddress: config.postalAddress,
    linkSecret: dependencies.linkSecret,
  };
  const routes = new Hono<AppEnv>();
  const context = (c: Parameters<typeof requireActor>[0]) => ({
    ip: c.get('clientIp'),
    requestId: c.get('requestId'),
    now: clock(),
  });

  routes.get('/campaigns', (c) => c.json(listCampaigns(db, siteUrl)));
  routes.post('/campaigns', (c) =>
    c.json({ campaign: createCampaign(db, requireActor(c), c.get('body'), context(c), settings) }, 201),
  );

  routes.get('/campaigns/:id', (c) => c.json({ campaign: readCampaignView(db, readIdParam(c), siteUrl) }));
  routes.patch('/campaigns/:id', (c) =>
    c.json({ campaign: updateCampaign(db, requireActor(c), readIdParam(c), c.get('body'), context(c), settings) }),
  );
  routes.get('/campaigns/:id/preview', (c) => c.json(previewCampaign(db, readIdParam(c), settings)));
  routes.post('/campaigns/:id/test', (c) =>
    c.json({ test: sendCampaignTest(db, requireActor(c), readIdParam(c), context(c), settings) }, 202),
  );

  routes.post('/campaigns/:id/schedule', (c) =>
    c.json({ campaign: scheduleCampaign(db, requireActor(c), readIdParam(c), c.get('body'), context(c), siteUrl) }),
  );
  routes.post('/campaigns/:id/send', async (c) =>
    c.json({ campaign: await sendCampaignNow(db, requireActor(c), readIdParam(c), context(c), settings, logger) }),
  );
  routes.post('/campaigns/:id/pause', (c) =>
    c.json({ campaign: pauseCampaign(db, requireActor(c), readIdParam(c), context(c), siteUrl) }),
  );
  routes.post('/campaigns/:id/resume', (c) =>
    c.json({ campaign: resumeCampaign(db, requireActor(c), readIdParam(c), context(c), siteUrl) }),
  );
  routes.post('/campaigns/:id/cancel', (c) =>
    c.json({ campaign: cancelCampaign(db, requireActor(c), readIdParam(c), context(c), siteUrl) }),
  );

  return routes;
}
