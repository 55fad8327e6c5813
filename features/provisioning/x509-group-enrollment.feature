Feature: Devices with certificates provision themselves through an X.509 enrollment group
  The back end enrolls a group by its signing CA. A device whose certificate that CA issued (its
  common name the registration id) registers with the certificate alone, is assigned to the hub,
  and connects to the hub with the same certificate.

  The emulator's HTTPS device API takes SAS tokens only (FIDELITY.md) and an HTTP device has no
  twin to report through, so this runs over Mqtt, MqttWs, Amqp and AmqpWs. The device registers
  over HTTPS with its certificate in the TLS handshake, which the nock REST front end (no TLS)
  cannot carry: it is left out there.

  @not-http @not-nock
  Scenario: A device with a certificate from the group's CA provisions itself and connects with it
    Given the back end has an X.509 group enrollment signed by its own CA
    When device "camera" provisions itself with a certificate from that CA
    Then device "camera" is assigned to the hub
    And device "camera" connects to its hub with that certificate and can report its state
