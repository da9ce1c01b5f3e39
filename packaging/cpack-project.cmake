# Read by cpack at packing time (CPACK_PROJECT_CONFIG_FILE). The install test's "previous
# version" is the same build packed with a lower version number:
#   STOREQ_PACKAGE_VERSION_OVERRIDE=0.0.9 cpack -G DEB   (scripts/package)
if(DEFINED ENV{STOREQ_PACKAGE_VERSION_OVERRIDE})
  set(CPACK_PACKAGE_VERSION "$ENV{STOREQ_PACKAGE_VERSION_OVERRIDE}")
  set(CPACK_DEBIAN_PACKAGE_VERSION "$ENV{STOREQ_PACKAGE_VERSION_OVERRIDE}")
endif()
