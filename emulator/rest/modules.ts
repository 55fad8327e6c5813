import { hubErrors } from '../errors.js';
import { emptyResponse, jsonResponse } from './http-types.js';
import { readIdentityBody } from './devices.js';
import { ifMatchHeader, type Route } from './route.js';
import { serializeModule } from './serialize.js';

export const moduleRoutes: Route[] = [
  {
    method: 'PUT',
    path: '/devices/{id}/modules/{mid}',
    permission: 'RegistryWrite',
    handle(context) {
      const deviceId = context.params.id ?? '';
      const moduleId = context.params.mid ?? '';
      if (ifMatchHeader(context.request) !== undefined) throw hubErrors.notImplemented('Updating a module');
      const keys = readIdentityBody(context, { deviceId, moduleId });
      return jsonResponse(200, serializeModule(context.registry.createModule(deviceId, moduleId, keys)));
    },
  },
  {
    method: 'GET',
    path: '/devices/{id}/modules/{mid}',
    permission: 'RegistryRead',
    handle: (context) => jsonResponse(200, serializeModule(context.registry.getModule(context.params.id ?? '', context.params.mid ?? ''))),
  },
  {
    method: 'GET',
    path: '/devices/{id}/modules',
    permission: 'RegistryRead',
    handle: (context) => jsonResponse(200, context.registry.listModules(context.params.id ?? '').map(serializeModule)),
  },
  {
    method: 'DELETE',
    path: '/devices/{id}/modules/{mid}',
    permission: 'RegistryWrite',
    handle(context) {
      context.registry.deleteModule(context.params.id ?? '', context.params.mid ?? '', ifMatchHeader(context.request));
      return emptyResponse(204);
    },
  },
];
