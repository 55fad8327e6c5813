import { DEVELOPMENT_POLICY_KEY } from './args.js';

export const HELP_TEXT = `Usage: iothub-emulator [options]

Runs the Azure IoT Hub emulator as a network service: the registry and twin REST API over HTTPS
and MQTT over WebSockets (/$iothub/websocket) on the HTTPS port, MQTT over TLS on the MQTT port,
AMQP over TLS (cloud-to-device messages and feedback, and the built-in Event Hub-compatible
endpoint that back ends read telemetry from with @azure/event-hubs) on the AMQP port.
When ready it prints one line of JSON to stdout (serviceConnectionString, caCertificatePath,
httpsPort, mqttPort, amqpPort, eventHubsConnectionString, hostName, provisioningHost, idScope,
provisioningServiceConnectionString, provisioningMqttHost[, amqpPlainPort,
eventHubsDevelopmentConnectionString][, controlPlaneUrl]); logs go
to stderr. Stop it with
Ctrl-C / SIGTERM.

Options:
  --host <address>              bind address (default 127.0.0.1)
  --https-port <port>           HTTPS port: REST, MQTT over WebSockets, control plane (default 443)
  --mqtt-port <port>            MQTT over TLS port (default 8883); 0 picks a free port
  --amqp-port <port>            AMQP over TLS port (default 5671); 0 picks a free port
  --amqp-plain-port <port>      also serve plain (non-TLS) AMQP on loopback (127.0.0.1, or ::1 with
                                --host ::1) for clients that set UseDevelopmentEmulator=true, as
                                the Event Hubs emulator does; off by default; 0 picks a free port
  --host-name <name>            HostName in connection strings and the certificate (default localhost)
  --cert <file> --key <file>    PEM certificate and key to serve; generated when absent
  --cert-dir <dir>              where a generated certificate is written (default: a new temp dir)
  --policy-key <base64>         iothubowner primary key (default: the development key below;
                                also read from IOTHUB_EMULATOR_POLICY_KEY)
  --data <dir>                  keep registry, twins, keys, certificate, MQTT sessions, the
                                Event Hub-compatible endpoint's events and the C2D and feedback
                                queues in <dir> (SQLite + LevelDB) so that they survive a restart
                                or a crash; without it everything is in memory
  --control-plane               serve the test control plane under https://<host>:<port>/_emulator/
                                and the web inspector at /_emulator/ui/ (docs/inspector.md),
                                Prometheus metrics at /_emulator/metrics (docs/observability.md)
  --allow-remote-control-plane  allow --control-plane on a non-loopback --host
  --event-hub-partitions <n>    partitions of the Event Hub-compatible endpoint, 2-128 (default 4)
  --event-hub-consumer-groups <a,b>  consumer groups besides $Default (default none)
  --event-hub-max-events <n>    events kept per partition, in memory, oldest evicted first
                                (default 10000; also at most 64 MiB and 1 day; kept by --data)
  --x509-ca <pem file>          trust this CA certificate for X.509 devices and modules whose
                                authentication type is certificateAuthority (repeatable; the
                                control plane can add more: POST /_emulator/certificate-authorities)
  --dps-id-scope <scope>        the Device Provisioning Service's ID scope (default: 0ne + 8 random
                                hex digits); DPS is served on the HTTPS port, devices registering
                                over HTTPS and the provisioning service SDK
  --dps-host-name <name>        the provisioning host (default: --host-name)
  --dps-mqtt-port <port>        DPS's MQTT over TLS port (default 8884 when the hub's MQTT port is
                                8883, else a free one); devices give the ready line's
                                provisioningMqttHost as their provisioningHost
  --dps-service-key <base64>    provisioningserviceowner key (default: generated; also read from
                                IOTHUB_EMULATOR_DPS_SERVICE_KEY)
  --log-level <level>           error | warn | info | debug (default warn; also read from
                                IOTHUB_EMULATOR_LOG_LEVEL): the request log on stderr; info adds a
                                line per REST request and MQTT/AMQP connect and disconnect, debug
                                telemetry, deliveries and packets; never a key, token or body
  --log-format <format>         text | json (JSON lines) (default text; IOTHUB_EMULATOR_LOG_FORMAT)
  -h, --help                    show this help

A generated certificate (and its key, readable by you only) is kept in your cache directory
(~/.cache/iothub-emulator, or XDG_CACHE_HOME, ~/Library/Caches, %LOCALAPPDATA%) and served again
by later starts with the same host names until 30 days before it expires; set
IOTHUB_EMULATOR_CERT_CACHE=<dir> for another directory, or =off to make a new one every start.

The SDKs dial HostName on port 443 (service Registry and MqttWs), 8883 (Mqtt) and 5671 (the
service Client over AMQP), so with the default ports 'HostName=localhost' connection strings work
unmodified. Trust the certificate with
NODE_EXTRA_CA_CERTS=<caCertificatePath> (read at process start; concatenate if already set).

Development policy key (public, like Azurite's well-known key; never use it for anything real):
  ${DEVELOPMENT_POLICY_KEY}

Ports below 1024 need privileges: run as root, in a container, or grant the capability
(sudo setcap cap_net_bind_service=+ep "$(command -v node)") or lower the limit
(sudo sysctl net.ipv4.ip_unprivileged_port_start=443); or pick other ports.
`;
