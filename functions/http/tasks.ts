import { awsDependencies } from '../../shared/composition/aws.ts';
import { createHttpHandler, implement } from '../../shared/http/handler.ts';
import { etag, ok } from '../../shared/http/request.ts';
import { tasksSpecs as routes } from '../../shared/http/routes/tasks.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { decideTask } from '../../shared/use-cases/task-decisions.ts';
import { listTasks, updateTask } from '../../shared/use-cases/tasks.ts';

export const taskRoutes = (deps: CrmDependencies) => [
  implement(routes.listTasks, async ({ principal, query }) => ok(await listTasks(deps, principal, query))),
  implement(routes.updateTask, async ({ principal, params, body, expectedVersion }) => {
    const task = await updateTask(deps, principal, params.id, body, expectedVersion);
    return ok(task, etag(task.version));
  }),
  implement(routes.decideTask, async ({ principal, params, body }) => {
    const task = await decideTask(deps, principal, params.id, body);
    return ok(task, etag(task.version));
  }),
];

export const handler = createHttpHandler(routes, taskRoutes, awsDependencies());
