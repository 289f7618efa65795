CREATE TABLE `sample` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `s` LONGTEXT,
  `short` VARCHAR(20),
  `long` LONGTEXT,
  `n` DOUBLE,
  `i` INT,
  `big` BIGINT,
  `flag` BOOLEAN,
  `at` DATETIME(3),
  `day` DATE,
  `dec` DECIMAL(30, 10),
  `uid` CHAR(36),
  `bytes` LONGBLOB,
  `doc` JSON,
  `kind` VARCHAR(32),
  PRIMARY KEY (`id`),
  CONSTRAINT `ck_sample__kind` CHECK (`kind` IN ('a', 'b'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE `person` (
  `classtype` VARCHAR(64) NOT NULL,
  `id` INT NOT NULL AUTO_INCREMENT,
  `name` VARCHAR(100) NOT NULL,
  `nick` LONGTEXT NOT NULL DEFAULT 'new',
  `email` VARCHAR(255),
  `age` INT NOT NULL DEFAULT 0,
  `status` VARCHAR(32) NOT NULL,
  `mentor` INT,
  `gpa` DOUBLE,
  PRIMARY KEY (`id`),
  CONSTRAINT `ck_person__status` CHECK (`status` IN ('active', 'it''s', 'back\\slash'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE `vehicles` (
  `id` INT NOT NULL AUTO_INCREMENT,
  `make` LONGTEXT NOT NULL,
  `owner` INT NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE `tag` (
  `name` VARCHAR(255) NOT NULL,
  PRIMARY KEY (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE `passport` (
  `code` VARCHAR(20) NOT NULL,
  `holder` INT NOT NULL,
  PRIMARY KEY (`code`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE `emp` (
  `id` INT NOT NULL AUTO_INCREMENT,
  `name` VARCHAR(50) NOT NULL,
  `dept` INT NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE `dept` (
  `id` INT NOT NULL AUTO_INCREMENT,
  `name` VARCHAR(50) NOT NULL,
  `manager` INT,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE `shipment` (
  `code` VARCHAR(10) NOT NULL,
  `seq` INT NOT NULL,
  `ref` VARCHAR(255) NOT NULL,
  `day` DATE,
  `weight` DECIMAL(12, 3),
  `count` DECIMAL(8, 0),
  PRIMARY KEY (`code`, `seq`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE `line` (
  `id` INT NOT NULL AUTO_INCREMENT,
  `shipment_code` VARCHAR(10) NOT NULL,
  `shipment_seq` INT NOT NULL,
  `qty` INT NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE `a_table_name_that_is_rather_long_for_testing_identifier_limits` (
  `id` INT NOT NULL AUTO_INCREMENT,
  `owner` INT NOT NULL,
  `label` VARCHAR(255) NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE `person_person` (
  `person` INT NOT NULL,
  `person_2` INT NOT NULL,
  PRIMARY KEY (`person`, `person_2`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE `car_tag` (
  `car` INT NOT NULL,
  `tag` VARCHAR(255) NOT NULL,
  PRIMARY KEY (`car`, `tag`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX `idx_person__name` ON `person` (`name`);
CREATE UNIQUE INDEX `unq_person__email` ON `person` (`email`);
CREATE INDEX `idx_person__mentor` ON `person` (`mentor`);
CREATE INDEX `idx_vehicles__owner` ON `vehicles` (`owner`);
CREATE UNIQUE INDEX `unq_passport__holder` ON `passport` (`holder`);
CREATE INDEX `idx_emp__dept` ON `emp` (`dept`);
CREATE UNIQUE INDEX `unq_dept__manager` ON `dept` (`manager`);
CREATE UNIQUE INDEX `unq_shipment__ref_day` ON `shipment` (`ref`, `day`);
CREATE INDEX `idx_shipment__weight_seq` ON `shipment` (`weight`, `seq`);
CREATE INDEX `idx_line__shipment_code_shipment_seq` ON `line` (`shipment_code`, `shipment_seq`);
CREATE INDEX `idx_a_table_name_that_is_rather_long_for_testing_identi_6eef78fb` ON `a_table_name_that_is_rather_long_for_testing_identifier_limits` (`owner`);
CREATE INDEX `idx_a_table_name_that_is_rather_long_for_testing_identi_de192309` ON `a_table_name_that_is_rather_long_for_testing_identifier_limits` (`label`);
CREATE INDEX `idx_person_person__person_2` ON `person_person` (`person_2`);
CREATE INDEX `idx_car_tag__tag` ON `car_tag` (`tag`);
ALTER TABLE `person` ADD CONSTRAINT `fk_person__mentor` FOREIGN KEY (`mentor`) REFERENCES `person` (`id`) ON DELETE SET NULL;
ALTER TABLE `vehicles` ADD CONSTRAINT `fk_vehicles__owner` FOREIGN KEY (`owner`) REFERENCES `person` (`id`) ON DELETE CASCADE;
ALTER TABLE `passport` ADD CONSTRAINT `fk_passport__holder` FOREIGN KEY (`holder`) REFERENCES `person` (`id`) ON DELETE CASCADE;
ALTER TABLE `emp` ADD CONSTRAINT `fk_emp__dept` FOREIGN KEY (`dept`) REFERENCES `dept` (`id`) ON DELETE CASCADE;
ALTER TABLE `dept` ADD CONSTRAINT `fk_dept__manager` FOREIGN KEY (`manager`) REFERENCES `emp` (`id`) ON DELETE SET NULL;
ALTER TABLE `line` ADD CONSTRAINT `fk_line__shipment_code_shipment_seq` FOREIGN KEY (`shipment_code`, `shipment_seq`) REFERENCES `shipment` (`code`, `seq`) ON DELETE CASCADE;
ALTER TABLE `a_table_name_that_is_rather_long_for_testing_identifier_limits` ADD CONSTRAINT `fk_a_table_name_that_is_rather_long_for_testing_identif_f562caaf` FOREIGN KEY (`owner`) REFERENCES `person` (`id`) ON DELETE CASCADE;
ALTER TABLE `person_person` ADD CONSTRAINT `fk_person_person__person` FOREIGN KEY (`person`) REFERENCES `person` (`id`) ON DELETE CASCADE;
ALTER TABLE `person_person` ADD CONSTRAINT `fk_person_person__person_2` FOREIGN KEY (`person_2`) REFERENCES `person` (`id`) ON DELETE CASCADE;
ALTER TABLE `car_tag` ADD CONSTRAINT `fk_car_tag__car` FOREIGN KEY (`car`) REFERENCES `vehicles` (`id`) ON DELETE CASCADE;
ALTER TABLE `car_tag` ADD CONSTRAINT `fk_car_tag__tag` FOREIGN KEY (`tag`) REFERENCES `tag` (`name`) ON DELETE CASCADE;
