# Finds libnode 18 (Debian's libnode108 / libnode-dev): installed system-wide, or unpacked by ci/setup
# into LOOPSIM_NODE_PREFIX (default: <build>/third_party/node18). Defines the imported target Libnode::Libnode
# and LIBNODE_PREFIX (where usr/share/nodejs, the builtins libnode reads at start-up, lives).
set(LOOPSIM_NODE_PREFIX "${CMAKE_BINARY_DIR}/third_party/node18" CACHE PATH "Prefix holding unpacked libnode 18")
find_path(LIBNODE_INCLUDE_DIR node.h
  PATHS "${LOOPSIM_NODE_PREFIX}/usr/include/node" /usr/include/node NO_DEFAULT_PATH)
find_library(LIBNODE_LIBRARY NAMES libnode.so.108 node
  PATHS "${LOOPSIM_NODE_PREFIX}/usr/lib/x86_64-linux-gnu" /usr/lib/x86_64-linux-gnu NO_DEFAULT_PATH)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Libnode REQUIRED_VARS LIBNODE_LIBRARY LIBNODE_INCLUDE_DIR)
if(Libnode_FOUND AND NOT TARGET Libnode::Libnode)
  get_filename_component(_libdir "${LIBNODE_LIBRARY}" DIRECTORY)
  get_filename_component(LIBNODE_PREFIX "${_libdir}/../../.." ABSOLUTE)
  set(LIBNODE_PREFIX "${LIBNODE_PREFIX}" CACHE INTERNAL "")
  add_library(Libnode::Libnode SHARED IMPORTED)
  set_target_properties(Libnode::Libnode PROPERTIES
    IMPORTED_LOCATION "${LIBNODE_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LIBNODE_INCLUDE_DIR}")
endif()
