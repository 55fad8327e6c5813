@not-http
Feature: A device may connect with a token its application made
  An application may sign its own short-lived token with the device's key instead of handing the
  key to the SDK. The hub accepts such a token while it is valid, and only for the device it names.

  An HTTP device keeps no connection: each request carries its token, and test/http-device
  covers the refusals request by request; this runs over the connected transports.

  Over AMQP the SDK authenticates with the audience its token names, so another device's token is
  refused only when the device attaches its links; azure-iot-device-amqp 1.14 then waits out a 45 s
  rundown and throws from its twin client (an SDK defect, not a hub answer). That case is left out
  over AMQP here and proven by test/amqp/device-refusals.test.ts with a telemetry send.

  Scenario: A valid token the application made is accepted
    Given device "sensor" is registered
    When device "sensor" connects with a token its application signed with its key
    Then device "sensor" is connected and can report its state

  Scenario: An expired token is refused
    Given device "sensor" is registered
    When device "sensor" connects with a token that has expired
    Then the device's connection is refused as unauthorized

  @not-amqp @not-amqp-ws
  Scenario: A token made for another device does not let a device in
    Given device "sensor" is registered
    And device "intruder" is registered
    When device "intruder" connects with a token made for device "sensor"
    Then the device's connection is refused as unauthorized
