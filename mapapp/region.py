"""The part of the world the map covers: the base map is clipped to it, the map cannot leave it,
and a position outside it is either a mistake or a swapped longitude and latitude."""

WEST, SOUTH, EAST, NORTH = 88.0, 5.0, 146.0, 56.0
METRES_PER_DEGREE = 111_320  # of latitude; of longitude, times the cosine of the latitude

# Korea and the Chinese border rivers: drawn at 1:10m, and where the map centres.
KOREA_CENTRE = (40.0, 127.0)  # latitude, longitude
# The box the base map keeps at full 1:10m detail (west, south, east, north): KOREA_WINDOW in
# scripts/build_basemap.py, recorded in data/basemap/NOTICE.
FULL_DETAIL = (123.5, 37.0, 131.5, 43.5)


def in_region(lon: float, lat: float) -> bool:
    return WEST <= lon <= EAST and SOUTH <= lat <= NORTH
