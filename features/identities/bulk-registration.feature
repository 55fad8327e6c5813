Feature: The back end registers several devices at once
  A back end that brings a batch of devices online registers them in one request, and learns
  which ones the hub could not register.

  Scenario: Several devices are registered in one request
    When the back end registers devices "sensor-1", "sensor-2" and "sensor-3" in one request
    Then the registration succeeds
    And devices "sensor-1", "sensor-2" and "sensor-3" are registered

  Scenario: A device that already exists is named in the answer
    Given device "sensor-1" is registered
    When the back end registers devices "sensor-1" and "sensor-2" in one request
    Then the registration reports that device "sensor-1" already exists
