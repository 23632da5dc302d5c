/**
 * Upstream expectations for the Change Data Feed: delta-kernel-rs `kernel/tests/cdf.rs` (each
 * constant names its test), as pipe tables `| col | ... |` (header row first, rows in kernel's order).
 * Shared by the protocol, data-plane and CLI tests so each expectation is transcribed once.
 */

// kernel/tests/cdf.rs `cdf_with_deletion_vector` (cdf-table-with-dv, 0..latest)
export const CDF_WITH_DV = `
| value | _change_type | _commit_version |
| 0     | insert       | 0               |
| 1     | insert       | 0               |
| 2     | insert       | 0               |
| 3     | insert       | 0               |
| 4     | insert       | 0               |
| 5     | insert       | 0               |
| 6     | insert       | 0               |
| 7     | insert       | 0               |
| 8     | insert       | 0               |
| 9     | insert       | 0               |
| 0     | delete       | 1               |
| 9     | delete       | 1               |
| 0     | insert       | 2               |
| 9     | insert       | 2               |
| 0     | delete       | 3               |
| 1     | delete       | 3               |
| 4     | delete       | 3               |
| 5     | delete       | 3               |
| 1     | insert       | 4               |
| 4     | insert       | 4               |
| 3     | delete       | 5               |
| 0     | insert       | 5               |
| 5     | insert       | 5               |
| 3     | insert       | 6               |`;

// kernel/tests/cdf.rs `basic_cdf` (cdf-table, 0..latest)
export const BASIC_CDF = `
| id | name   | birthday   | _change_type     | _commit_version |
| 1  | Steve  | 2023-12-22 | insert           | 0               |
| 2  | Bob    | 2023-12-23 | insert           | 0               |
| 3  | Dave   | 2023-12-23 | insert           | 0               |
| 4  | Kate   | 2023-12-23 | insert           | 0               |
| 5  | Emily  | 2023-12-24 | insert           | 0               |
| 6  | Carl   | 2023-12-24 | insert           | 0               |
| 7  | Dennis | 2023-12-24 | insert           | 0               |
| 8  | Claire | 2023-12-25 | insert           | 0               |
| 9  | Ada    | 2023-12-25 | insert           | 0               |
| 10 | Borb   | 2023-12-25 | insert           | 0               |
| 3  | Dave   | 2023-12-22 | update_postimage | 1               |
| 3  | Dave   | 2023-12-23 | update_preimage  | 1               |
| 4  | Kate   | 2023-12-22 | update_postimage | 1               |
| 4  | Kate   | 2023-12-23 | update_preimage  | 1               |
| 2  | Bob    | 2023-12-22 | update_postimage | 1               |
| 2  | Bob    | 2023-12-23 | update_preimage  | 1               |
| 7  | Dennis | 2023-12-24 | update_preimage  | 2               |
| 7  | Dennis | 2023-12-29 | update_postimage | 2               |
| 5  | Emily  | 2023-12-24 | update_preimage  | 2               |
| 5  | Emily  | 2023-12-29 | update_postimage | 2               |
| 6  | Carl   | 2023-12-24 | update_preimage  | 2               |
| 6  | Carl   | 2023-12-29 | update_postimage | 2               |
| 7  | Dennis | 2023-12-29 | delete           | 3               |`;

// kernel/tests/cdf.rs `cdf_non_partitioned` (cdf-table-non-partitioned, 0..latest)
export const NON_PARTITIONED = `
| id | name   | birthday   | long_field        | boolean_field | double_field | smallint_field | _change_type     | _commit_version |
| 1  | Steve  | 2024-04-14 | 1                 | true          | 3.14         | 1              | insert           | 0               |
| 2  | Bob    | 2024-04-15 | 1                 | true          | 3.14         | 1              | insert           | 0               |
| 3  | Dave   | 2024-04-15 | 2                 | true          | 3.14         | 1              | insert           | 0               |
| 4  | Kate   | 2024-04-15 | 3                 | true          | 3.14         | 1              | insert           | 0               |
| 5  | Emily  | 2024-04-16 | 4                 | true          | 3.14         | 1              | insert           | 0               |
| 6  | Carl   | 2024-04-16 | 5                 | true          | 3.14         | 1              | insert           | 0               |
| 7  | Dennis | 2024-04-16 | 6                 | true          | 3.14         | 1              | insert           | 0               |
| 8  | Claire | 2024-04-17 | 7                 | true          | 3.14         | 1              | insert           | 0               |
| 9  | Ada    | 2024-04-17 | 8                 | true          | 3.14         | 1              | insert           | 0               |
| 10 | Borb   | 2024-04-17 | 99999999999999999 | true          | 3.14         | 1              | insert           | 0               |
| 3  | Dave   | 2024-04-15 | 2                 | true          | 3.14         | 1              | update_preimage  | 1               |
| 3  | Dave   | 2024-04-14 | 2                 | true          | 3.14         | 1              | update_postimage | 1               |
| 4  | Kate   | 2024-04-15 | 3                 | true          | 3.14         | 1              | update_preimage  | 1               |
| 4  | Kate   | 2024-04-14 | 3                 | true          | 3.14         | 1              | update_postimage | 1               |
| 2  | Bob    | 2024-04-15 | 1                 | true          | 3.14         | 1              | update_preimage  | 1               |
| 2  | Bob    | 2024-04-14 | 1                 | true          | 3.14         | 1              | update_postimage | 1               |
| 7  | Dennis | 2024-04-16 | 6                 | true          | 3.14         | 1              | update_preimage  | 2               |
| 7  | Dennis | 2024-04-14 | 6                 | true          | 3.14         | 1              | update_postimage | 2               |
| 5  | Emily  | 2024-04-16 | 4                 | true          | 3.14         | 1              | update_preimage  | 2               |
| 5  | Emily  | 2024-04-14 | 4                 | true          | 3.14         | 1              | update_postimage | 2               |
| 6  | Carl   | 2024-04-16 | 5                 | true          | 3.14         | 1              | update_preimage  | 2               |
| 6  | Carl   | 2024-04-14 | 5                 | true          | 3.14         | 1              | update_postimage | 2               |
| 7  | Dennis | 2024-04-14 | 6                 | true          | 3.14         | 1              | delete           | 3               |
| 1  | Alex   | 2024-04-14 | 1                 | true          | 3.14         | 1              | insert           | 4               |
| 2  | Alan   | 2024-04-15 | 1                 | true          | 3.14         | 1              | insert           | 4               |`;

// kernel/tests/cdf.rs `cdf_with_cdc_and_dvs` (cdf-table-with-cdc-and-dvs, 0..latest)
export const CDC_AND_DVS = `
| id | comment            | _change_type     | _commit_version |
| 1  | initial            | insert           | 0               |
| 2  | insert1            | insert           | 1               |
| 3  | insert1-delete1    | insert           | 1               |
| 4  | insert1-delete2    | insert           | 1               |
| 5  | insert1-delete2    | insert           | 1               |
| 3  | insert1-delete1    | delete           | 2               |
| 3  | insert1-delete1    | insert           | 4               |
| 4  | insert1-delete2    | delete           | 5               |
| 5  | insert1-delete2    | delete           | 5               |
| 4  | insert1-delete2    | insert           | 7               |
| 5  | insert2            | insert           | 8               |
| 1  | initial            | update_preimage  | 9               |
| 1  | update1            | update_postimage | 9               |
| 2  | insert1            | update_preimage  | 9               |
| 2  | update1            | update_postimage | 9               |
| 3  | insert1-delete1    | update_preimage  | 9               |
| 3  | update1            | update_postimage | 9               |
| 1  | update1            | delete           | 10              |
| 2  | update1            | update_preimage  | 12              |
| 2  | update2            | update_postimage | 12              |
| 6  | insert3            | insert           | 14              |
| 7  | insert3            | insert           | 14              |
| 8  | insert4            | insert           | 15              |
| 9  | insert4            | insert           | 15              |
| 8  | insert4            | delete           | 16              |
| 7  | insert3            | delete           | 16              |
| 10 | merge1-insert      | insert           | 18              |
| 11 | merge1-insert      | insert           | 18              |
| 9  | merge1-update      | update_postimage | 18              |
| 9  | insert4            | update_preimage  | 18              |
| 11 | merge1-insert      | update_preimage  | 20              |
| 11 |                    | update_postimage | 20              |
| 12 | merge2-insert      | insert           | 22              |
| 11 |                    | delete           | 22              |
| 3  | update1            | delete           | 24              |
| 4  | insert1-delete2    | delete           | 24              |
| 5  | insert2            | delete           | 24              |
| 2  | update2            | delete           | 24              |
| 6  | insert3            | delete           | 24              |
| 9  | merge1-update      | delete           | 24              |
| 0  | new                | insert           | 25              |
| 1  | after-large-delete | insert           | 25              |
| 2  |                    | insert           | 25              |`;

export const TEN_INSERTS_V0 = Array.from({ length: 10 }, (_, i) => `| ${i} | insert | 0 |`).join('\n');
export const TEN_DELETES_V1 = Array.from({ length: 10 }, (_, i) => `| ${i} | delete | 1 |`).join('\n');
export const SIMPLE_V2 = [20, 21, 22, 23, 24].map((i) => `| ${i} | insert | 2 |`).join('\n');
export const ID_HEADER = '| id | _change_type | _commit_version |';

// kernel/tests/cdf.rs `cdf_with_column_mapping_name_mode` (also the -3-7 table) and `cdf_with_column_mapping_id_mode`, from version 1
export const CM_NAME = `
| id | name  | value | _change_type     | _commit_version |
| 1  | Alice | 100.0 | delete           | 4               |
| 2  | Bob   | 200.0 | update_preimage  | 2               |
| 2  | Bob   | 250.0 | update_postimage | 2               |
| 4  | David | 400.0 | insert           | 3               |`;
export const CM_ID = `
| id | name  | value | _change_type     | _commit_version |
| 2  | Frank | 250.0 | update_preimage  | 2               |
| 2  | Frank | 275.0 | update_postimage | 2               |
| 3  | Grace | 350.0 | delete           | 4               |
| 4  | Henry | 450.0 | insert           | 3               |`;
