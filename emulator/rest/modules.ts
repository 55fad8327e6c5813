import { emptyResponse, jsonResponse, type RestResponse } from './http-types.js';
import { readModuleSpec } from './identity-body.js';
import { ifMatchHeader, pathParam, readJsonBody, type RestContext, type Route } from './route.js';
import { serializeModule } from './serialize.js';

/** Without If-Match a create (409 when it exists), with one an update (412 on a stale etag). */
function putModule(context: RestContext): RestResponse {
  const deviceId = pathParam(context.params, 'id');
  const moduleId = pathParam(context.params, 'mid');
  const spec = readModuleSpec(readJsonBody(context.request), deviceId, moduleId);
  const ifMatch = ifMatchHeader(context.request);
  const module = ifMatch === undefined ? context.registry.addModule(spec) : context.registry.updateModule(spec, ifMatch);
  return jsonResponse(200, serializeModule(module));
}

function deleteModule(context: RestContext): RestResponse {
  context.registry.deleteModule(pathParam(context.params, 'id'), pathParam(context.params, 'mid'), ifMatchHeader(context.request));
  return emptyResponse(204);
}

export const moduleRoutes: Route[] = [
  { method: 'PUT', path: '/devices/{id}/modules/{mid}', permission: 'RegistryWrite', handle: putModule },
  {
    method: 'GET',
    path: '/devices/{id}/modules/{mid}',
    permission: 'RegistryRead',
    handle: (context) => jsonResponse(200, serializeModule(context.registry.getModule(pathParam(context.params, 'id'), pathParam(context.params, 'mid')))),
  },
  {
    method: 'GET',
    path: '/devices/{id}/modules',
    permission: 'RegistryRead',
    handle: (context) => jsonResponse(200, context.registry.listModules(pathParam(context.params, 'id')).map(serializeModule)),
  },
  { method: 'DELETE', path: '/devices/{id}/modules/{mid}', permission: 'RegistryWrite', handle: deleteModule },
];
