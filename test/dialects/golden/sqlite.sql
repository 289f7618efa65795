CREATE TABLE "sample" (
  "id" INTEGER PRIMARY KEY,
  "s" TEXT,
  "short" VARCHAR(20),
  "long" TEXT,
  "n" REAL,
  "i" INTEGER,
  "big" INTEGER,
  "flag" BOOLEAN,
  "at" TEXT,
  "day" TEXT,
  "dec" TEXT,
  "uid" TEXT,
  "bytes" BLOB,
  "doc" TEXT,
  "kind" VARCHAR(32),
  CONSTRAINT "ck_sample__kind" CHECK ("kind" IN ('a', 'b'))
);
CREATE TABLE "person" (
  "classtype" VARCHAR(64) NOT NULL,
  "id" INTEGER PRIMARY KEY,
  "name" VARCHAR(100) NOT NULL,
  "nick" TEXT NOT NULL DEFAULT 'new',
  "email" TEXT,
  "age" INTEGER NOT NULL DEFAULT 0,
  "status" VARCHAR(32) NOT NULL,
  "mentor" INTEGER,
  "gpa" REAL,
  CONSTRAINT "ck_person__status" CHECK ("status" IN ('active', 'it''s', 'back\slash')),
  CONSTRAINT "fk_person__mentor" FOREIGN KEY ("mentor") REFERENCES "person" ("id") ON DELETE SET NULL
);
CREATE TABLE "vehicles" (
  "id" INTEGER PRIMARY KEY,
  "make" TEXT NOT NULL,
  "owner" INTEGER NOT NULL,
  CONSTRAINT "fk_vehicles__owner" FOREIGN KEY ("owner") REFERENCES "person" ("id") ON DELETE CASCADE
);
CREATE TABLE "tag" (
  "name" TEXT NOT NULL,
  PRIMARY KEY ("name")
);
CREATE TABLE "passport" (
  "code" VARCHAR(20) NOT NULL,
  "holder" INTEGER NOT NULL,
  PRIMARY KEY ("code"),
  CONSTRAINT "fk_passport__holder" FOREIGN KEY ("holder") REFERENCES "person" ("id") ON DELETE CASCADE
);
CREATE TABLE "emp" (
  "id" INTEGER PRIMARY KEY,
  "name" VARCHAR(50) NOT NULL,
  "dept" INTEGER NOT NULL,
  CONSTRAINT "fk_emp__dept" FOREIGN KEY ("dept") REFERENCES "dept" ("id") ON DELETE CASCADE
);
CREATE TABLE "dept" (
  "id" INTEGER PRIMARY KEY,
  "name" VARCHAR(50) NOT NULL,
  "manager" INTEGER,
  CONSTRAINT "fk_dept__manager" FOREIGN KEY ("manager") REFERENCES "emp" ("id") ON DELETE SET NULL
);
CREATE TABLE "shipment" (
  "code" VARCHAR(10) NOT NULL,
  "seq" INTEGER NOT NULL,
  "ref" TEXT NOT NULL,
  "day" TEXT,
  "weight" TEXT,
  "count" TEXT,
  PRIMARY KEY ("code", "seq")
);
CREATE TABLE "line" (
  "id" INTEGER PRIMARY KEY,
  "shipment_code" VARCHAR(10) NOT NULL,
  "shipment_seq" INTEGER NOT NULL,
  "qty" INTEGER NOT NULL,
  CONSTRAINT "fk_line__shipment_code_shipment_seq" FOREIGN KEY ("shipment_code", "shipment_seq") REFERENCES "shipment" ("code", "seq") ON DELETE CASCADE
);
CREATE TABLE "a_table_name_that_is_rather_long_for_testing_identifier_limits" (
  "id" INTEGER PRIMARY KEY,
  "owner" INTEGER NOT NULL,
  "label" TEXT NOT NULL,
  CONSTRAINT "fk_a_table_name_that_is_rather_long_for_testing_identif_f562caaf" FOREIGN KEY ("owner") REFERENCES "person" ("id") ON DELETE CASCADE
);
CREATE TABLE "person_person" (
  "person" INTEGER NOT NULL,
  "person_2" INTEGER NOT NULL,
  PRIMARY KEY ("person", "person_2"),
  CONSTRAINT "fk_person_person__person" FOREIGN KEY ("person") REFERENCES "person" ("id") ON DELETE CASCADE,
  CONSTRAINT "fk_person_person__person_2" FOREIGN KEY ("person_2") REFERENCES "person" ("id") ON DELETE CASCADE
);
CREATE TABLE "car_tag" (
  "car" INTEGER NOT NULL,
  "tag" TEXT NOT NULL,
  PRIMARY KEY ("car", "tag"),
  CONSTRAINT "fk_car_tag__car" FOREIGN KEY ("car") REFERENCES "vehicles" ("id") ON DELETE CASCADE,
  CONSTRAINT "fk_car_tag__tag" FOREIGN KEY ("tag") REFERENCES "tag" ("name") ON DELETE CASCADE
);
CREATE INDEX "idx_person__name" ON "person" ("name");
CREATE UNIQUE INDEX "unq_person__email" ON "person" ("email");
CREATE INDEX "idx_person__mentor" ON "person" ("mentor");
CREATE INDEX "idx_vehicles__owner" ON "vehicles" ("owner");
CREATE UNIQUE INDEX "unq_passport__holder" ON "passport" ("holder");
CREATE INDEX "idx_emp__dept" ON "emp" ("dept");
CREATE UNIQUE INDEX "unq_dept__manager" ON "dept" ("manager");
CREATE UNIQUE INDEX "unq_shipment__ref_day" ON "shipment" ("ref", "day");
CREATE INDEX "idx_shipment__weight_seq" ON "shipment" ("weight", "seq");
CREATE INDEX "idx_line__shipment_code_shipment_seq" ON "line" ("shipment_code", "shipment_seq");
CREATE INDEX "idx_a_table_name_that_is_rather_long_for_testing_identi_6eef78fb" ON "a_table_name_that_is_rather_long_for_testing_identifier_limits" ("owner");
CREATE INDEX "idx_a_table_name_that_is_rather_long_for_testing_identi_de192309" ON "a_table_name_that_is_rather_long_for_testing_identifier_limits" ("label");
CREATE INDEX "idx_person_person__person_2" ON "person_person" ("person_2");
CREATE INDEX "idx_car_tag__tag" ON "car_tag" ("tag");
