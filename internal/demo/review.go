package demo

func (s *seeder) previousQuarter() error { return nil }
