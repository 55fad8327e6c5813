@not-http
Feature: Devices authenticate with X.509 certificates
  A device may prove who it is with a certificate instead of a key. The hub lets a device in when
  its certificate's thumbprint is one the back end registered for it (self-signed), or when the
  certificate names the device and chains to a CA the hub trusts. Two thumbprints let a device move
  to a new certificate without a moment offline.

  The emulator's HTTPS device API takes SAS tokens only (FIDELITY.md), and these scenarios
  report through the twin, which HTTP does not offer: they run over the connected transports.

  Over AMQP a refused certificate is seen only when the device attaches its links;
  azure-iot-device-amqp 1.14 then waits out a 45 s rundown and throws from its twin client (an SDK
  defect, not a hub answer), so the refusal is left out over AMQP here and proven by
  test/x509/x509-amqp-refusals.test.ts with a telemetry send.

  Scenario: A device authenticates with its certificate
    Given device "camera" is registered with a self-signed certificate
    When device "camera" connects with its certificate
    Then device "camera" is connected and can report its state

  @not-amqp @not-amqp-ws
  Scenario: A certificate the hub does not trust is refused
    Given device "camera" is registered to authenticate with certificates from a trusted CA
    When device "camera" connects with a certificate from a CA the hub does not trust
    Then the device's connection is refused as unauthorized

  @not-amqp @not-amqp-ws
  Scenario: A device rolls over to its secondary certificate
    Given device "camera" is registered with a primary and a secondary certificate
    When the back end retires the primary certificate of device "camera"
    Then device "camera" connects with its secondary certificate
    And device "camera" is connected and can report its state
    And device "camera" is refused with its primary certificate
