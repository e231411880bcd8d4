#pragma once
#include <mpi.h>

// The MPI functions degrade calls, as pointer types matching mpi.h, for the symbols it looks up with dlsym.
typedef __typeof__(&MPI_Init_thread) degrade_mpi_init_thread;
typedef __typeof__(&MPI_Comm_rank) degrade_mpi_comm_rank;
typedef __typeof__(&MPI_Comm_size) degrade_mpi_comm_size;
typedef __typeof__(&MPI_Comm_set_errhandler) degrade_mpi_comm_set_errhandler;
typedef __typeof__(&MPI_Allreduce) degrade_mpi_allreduce;
typedef __typeof__(&MPI_Error_string) degrade_mpi_error_string;
typedef __typeof__(&MPI_Abort) degrade_mpi_abort;
typedef __typeof__(&MPI_Finalize) degrade_mpi_finalize;
