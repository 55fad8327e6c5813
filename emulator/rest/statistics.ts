import { jsonResponse, type RestResponse } from './http-types.js';
import type { RestContext, Route } from './route.js';

/**
 * Registry and service statistics (swagger Statistics_GetDeviceStatistics and
 * Statistics_GetServiceStatistics, bodies RegistryStatistics and ServiceStatistics).
 * `Registry.getRegistryStatistics()` sends `GET /statistics/devices`; the device counts are read
 * from the identity registry, so they need RegistryRead ("IoT Hub permissions": read access to the
 * identity registry). The connected-device count is a service-side monitoring figure: ServiceConnect
 * ("access to cloud service-facing communication and monitoring endpoints"), as the other SDKs'
 * ServiceClient, which needs that permission, is what reads it. Modules are not devices: neither
 * count includes them. The emulator counts from the current state; the hub's figures may lag.
 */
function deviceStatistics(context: RestContext): RestResponse {
  const devices = context.registry.allDevices();
  const enabledDeviceCount = devices.filter((device) => device.status === 'enabled').length;
  return jsonResponse(200, {
    totalDeviceCount: devices.length,
    enabledDeviceCount,
    disabledDeviceCount: devices.length - enabledDeviceCount,
  });
}

function serviceStatistics(context: RestContext): RestResponse {
  const connectedDeviceCount = context.registry.allDevices().filter((device) => device.connectionState === 'Connected').length;
  return jsonResponse(200, { connectedDeviceCount });
}

export const statisticsRoutes: Route[] = [
  { method: 'GET', path: '/statistics/devices', permission: 'RegistryRead', handle: deviceStatistics },
  { method: 'GET', path: '/statistics/service', permission: 'ServiceConnect', handle: serviceStatistics },
];
