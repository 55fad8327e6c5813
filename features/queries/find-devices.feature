Feature: The back end finds devices by what their twins say

  Scenario: Devices are found by a tag
    Given devices "north-1" and "north-2" are installed at site "north"
    And device "south-1" is installed at site "south"
    When the back end looks for the devices installed at site "north"
    Then it finds devices "north-1" and "north-2"

  Scenario: Devices are found by a desired property
    Given devices "eco-1" and "comfort-1" are installed at site "west"
    And the back end has asked device "eco-1" for mode "eco"
    When the back end looks for the devices at site "west" asked for mode "eco"
    Then it finds device "eco-1"

  Scenario: Many results come page by page
    Given devices "east-1", "east-2" and "east-3" are installed at site "east"
    When the back end looks for the devices installed at site "east", two at a time
    Then it finds devices "east-1", "east-2" and "east-3"
    And the results came in 2 pages

  Scenario: A query the hub cannot understand is refused
    When the back end looks for devices with a query that is not valid
    Then the query is refused as invalid
