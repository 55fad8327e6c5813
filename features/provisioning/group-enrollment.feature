Feature: Devices provision themselves through the Device Provisioning Service
  A fleet is not registered by hand. The back end enrolls a group with one key; each device derives
  its own key from it and its registration id, registers with DPS, is assigned to the hub and
  created there with the group's initial twin, then connects to the hub with the same key.

  Devices register over HTTPS (azure-iot-provisioning-device-http) whatever transport they then use
  with the hub; registration over MQTT is proven in test/dps. Over HTTP a device has no twin to read
  its initial desired properties from, so the first scenario runs over the other four transports.

  Background:
    Given the back end has a group enrollment whose devices start with the desired telemetryInterval 30

  @not-http
  Scenario: A device in a group enrollment provisions itself and starts with its initial desired properties
    When device "sensor" provisions itself with its key derived from the group key
    Then device "sensor" is assigned to the hub
    And device "sensor" connects to its hub and starts with the desired telemetryInterval 30

  Scenario: A device with a wrong key is refused
    When device "sensor" provisions itself with a key not derived from the group key
    Then the provisioning is refused as unauthorized
    And the hub has no device "sensor"

  Scenario: A disabled enrollment refuses its device
    Given the back end has disabled the group enrollment
    When device "sensor" provisions itself with its key derived from the group key
    Then the provisioning is refused because the enrollment is disabled
    And the hub has no device "sensor"

  Scenario: Registering again returns the same device
    Given device "sensor" has provisioned itself
    When device "sensor" provisions itself with its key derived from the group key
    Then device "sensor" is assigned the same device as before

  Scenario: The back end sees the registration state
    Given device "sensor" has provisioned itself
    Then the back end sees device "sensor" registered as assigned to the hub
