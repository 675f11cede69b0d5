// version.h — the library version (kept equal to the R package's DESCRIPTION).
#ifndef RDDIST_VERSION_H
#define RDDIST_VERSION_H

#define RDDIST_VERSION_STRING "0.1.0"

namespace rddist {
inline const char* version() { return RDDIST_VERSION_STRING; }
}  // namespace rddist

#endif  // RDDIST_VERSION_H
