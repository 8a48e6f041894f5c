/* The program declares a C library function itself, as portability
   headers do. */
int getloadavg(double loadavg[], int nelem);
