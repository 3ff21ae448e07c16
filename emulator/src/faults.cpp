#include "faults.hpp"
