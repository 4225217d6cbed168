import { awsDependencies } from '../../shared/composition/aws.ts';
import { awsAliyunPushSecret, awsSms } from '../../shared/composition/aws-capabilities.ts';
import { createHttpHandler, implement } from '../../shared/http/handler.ts';
import { ok } from '../../shared/http/request.ts';
import { smsInboundAliyunSpecs as routes } from '../../shared/http/routes/sms-inbound-aliyun.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { receiveAliyunSmsUp } from '../../shared/use-cases/aliyun-sms-up.ts';

export const smsInboundAliyunRoutes = (deps: CrmDependencies) => [
  implement(routes.aliyunSmsUp, async ({ params, body }) =>
    ok((await receiveAliyunSmsUp(deps, params.secret, body)).ack),
  ),
];

export const handler = createHttpHandler(
  routes,
  smsInboundAliyunRoutes,
  awsDependencies({ sms: awsSms, aliyunPush: awsAliyunPushSecret }),
);
