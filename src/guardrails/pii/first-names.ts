// Common given names for the NAME detector (a capitalised given name, optionally followed by capitalised
// surnames). Names that are also everyday capitalised words at a sentence start (Will, May, Hope, June…)
// are left out on purpose: a name detector that fires on "May I ask" is worse than one that misses May.
export const FIRST_NAMES: readonly string[] = (
  "Aaron Abigail Adam Adrian Aisha Alan Albert Alex Alexander Alexandra Alice Alicia Alan Amanda Amelia Amir Amy " +
  "Ana Andrea Andrew Angela Anita Ann Anna Anne Anthony Antonio Arjun Arthur Ashley Barbara Benjamin Beth Betty " +
  "Brandon Brenda Brian Bruce Carl Carlos Carol Caroline Catherine Charles Charlotte Chen Cheryl Chloe Chris " +
  "Christian Christina Christine Christopher Cynthia Daniel Danielle David Deborah Debra Dennis Diana Diane " +
  "Donald Donna Dorothy Douglas Dylan Edward Elena Elizabeth Ella Emily Emma Eric Ethan Evelyn Fatima Frances " +
  "Frank Gabriel Gary George Gloria Gregory Hannah Harold Harry Heather Helen Henry Hiroshi Ibrahim Isabella " +
  "Jack Jacob Jacqueline James Jane Janet Janice Jason Jean Jeffrey Jennifer Jeremy Jerry Jessica Joan John " +
  "Johnny Jonathan Jorge Jose Joseph Joshua Joyce Juan Judith Judy Julia Julie Justin Karen Katherine Kathleen " +
  "Kathryn Kayla Keith Kelly Kenneth Kevin Kimberly Kyle Laura Lauren Lawrence Li Liam Linda Lisa Lori Louis " +
  "Lucas Lucy Luis Madison Maria Marie Marilyn Martha Martin Mary Matthew Megan Melissa Michael Michelle " +
  "Mohammed Muhammad Nancy Natalie Nathan Nicholas Nicole Noah Olivia Oliver Pamela Patricia Patrick Paul " +
  "Peter Philip Priya Rachel Rahul Ralph Raymond Rebecca Richard Robert Roger Ronald Ruth Ryan Samantha Samuel " +
  "Sandra Sara Sarah Scott Sean Sharon Shirley Sofia Sophia Stephanie Stephen Steven Susan Teresa Thomas Timothy " +
  "Tyler Victoria Vincent Virginia Walter Wei William Yuki Zachary"
).split(" ");
